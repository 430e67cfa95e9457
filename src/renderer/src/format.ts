// Plain-words formatting for times, durations and the engine's codes.
import type { AlertReason, Evidence } from '../../shared/types.js'

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
})

function toDate(iso: string | null | undefined): Date | null {
  if (!iso) return null
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? null : d
}

/** "14:05" today, "Mon 3 Mar, 14:05" on another day. */
export function formatTime(iso: string | null | undefined, now = new Date()): string {
  const d = toDate(iso)
  if (!d) return 'an unknown time'
  return d.toDateString() === now.toDateString() ? timeFormat.format(d) : dateTimeFormat.format(d)
}

/** Always with the date: for lists of past sessions. */
export function formatDateTime(iso: string | null | undefined): string {
  const d = toDate(iso)
  return d ? dateTimeFormat.format(d) : 'an unknown time'
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return 'unknown length'
  const totalMinutes = Math.floor(ms / 60_000)
  if (totalMinutes < 1) return 'less than a minute'
  const hours = Math.floor(totalMinutes / 60)
  const minutes = totalMinutes % 60
  const parts: string[] = []
  if (hours) parts.push(`${hours} ${hours === 1 ? 'hour' : 'hours'}`)
  if (minutes) parts.push(`${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`)
  return parts.join(' ')
}

/** Milliseconds from iso until now (0 when unknown or in the future). */
export function elapsedSince(iso: string | null | undefined, now = Date.now()): number | null {
  const d = toDate(iso)
  return d ? Math.max(0, now - d.getTime()) : null
}

/** True when iso is a real time less than `withinMs` from now ('until-off', the snooze until the camera is off, is not). */
export function isNearFuture(iso: string | null | undefined, withinMs: number, now = Date.now()): boolean {
  const d = toDate(iso)
  return d !== null && d.getTime() - now <= withinMs
}

export const REASON_WORDS: Record<AlertReason, string> = {
  'untrusted-app': 'An app you have not marked as trusted is using it.',
  'no-app': 'CamGuard could not tell which app is using it.',
  'user-away': 'It turned on while you seemed to be away from the computer, or the screen was locked.',
  'quiet-hours': 'It turned on during your quiet hours.',
}

export const REASON_SHORT: Record<AlertReason, string> = {
  'untrusted-app': 'not a trusted app',
  'no-app': 'no app could be named',
  'user-away': 'you seemed to be away',
  'quiet-hours': 'during quiet hours',
}

export const EVIDENCE_WORDS: Record<Evidence, string> = {
  streaming: 'It is receiving pictures from the camera.',
  open: 'It has the camera open.',
  pipewire: "It is receiving pictures through the system's media service (PipeWire).",
  'os-report': 'Your computer reports that this app is using the camera.',
}

export function reasonWords(reason: string): string {
  return (REASON_WORDS as Record<string, string>)[reason] ?? reason
}

export function reasonShort(reason: string): string {
  return (REASON_SHORT as Record<string, string>)[reason] ?? reason
}

export function evidenceWords(evidence: string): string {
  return (EVIDENCE_WORDS as Record<string, string>)[evidence] ?? `Seen by: ${evidence}.`
}
