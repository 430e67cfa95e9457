// Times as the window shows them, in the system's locale. Durations, app names and the engine's
// codes in words come from src/shared/words.ts, shared with the terminal and the notifications.

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
