// The words people read about the engine's data, in one place for every face: the `camguard`
// command, the app's notifications and tray, the window and the evidence report. Pure (no Node, no
// DOM), so the window imports it as it is. Where a word depends on the device, the device kind is a
// parameter ('camera' when left out). See docs/architecture.md, "Where each rule lives".
import type { AlertReason, DeviceKind, Evidence } from './types.js'

/** "camera" or "microphone", for the middle of a sentence. */
export function deviceName(kind: DeviceKind = 'camera'): string {
  return kind
}

/** The first letter in capitals: for words that start a sentence or a label. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** "a", "a and b", "a, b and c". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('')
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
}

/** "1 file", "3 files", "2 entries": a count with its noun. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

// ---- Durations ----

/**
 * How long something lasted, as a person would say it: "less than a minute", "12 minutes",
 * "1 hour 5 minutes". Rounded to the nearest minute: seconds are noise in a reminder or a history,
 * and "still on after 15 minutes" must not read "14 minutes" because the timer fired a tick early.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return 'unknown length'
  if (ms < 60_000) return 'less than a minute'
  const totalMinutes = Math.round(ms / 60_000)
  const hours = Math.floor(totalMinutes / 60)
  const minutes = totalMinutes % 60
  const parts: string[] = []
  if (hours) parts.push(`${hours} ${hours === 1 ? 'hour' : 'hours'}`)
  if (minutes) parts.push(`${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`)
  return parts.join(' ')
}

// ---- Clock times ----

/** A time of day as the system's locale writes it, to the minute ("14:05", "2:05 PM"). */
export function clockTime(at: number | string): string {
  const d = new Date(at)
  return Number.isNaN(d.getTime())
    ? String(at)
    : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
}

// ---- App names ----

/** What is said when the detector saw a device in use but nobody could be named. */
export const NO_APP = 'an app that could not be named'

/** The apps' names, each once, in the order seen. Names are other programs' words: escape them where shown. */
export function uniqueAppNames(apps: readonly { name: string }[]): string[] {
  return [...new Set(apps.map((a) => a.name))]
}

/** "zoom", "zoom and firefox", or NO_APP when the list is empty. */
export function appNames(apps: readonly { name: string }[]): string {
  const names = uniqueAppNames(apps)
  return names.length ? listWords(names) : NO_APP
}

// ---- Why an activation is unexpected ----

/**
 * The forms a reason is said in: 'because' completes "This was not expected because …" (and the
 * terminal's "UNEXPECTED: …"), 'sentence' stands alone (the Status view), 'short' is a label (the
 * Activity list).
 */
export type ReasonForm = 'because' | 'sentence' | 'short'

/** What a reason's words may depend on. */
export interface ReasonContext {
  kind?: DeviceKind
}

type ReasonText = Record<ReasonForm, (device: string) => string>

const REASONS: Record<AlertReason, ReasonText> = {
  'untrusted-app': {
    because: () => 'it is not an app you have marked as trusted',
    sentence: () => 'An app you have not marked as trusted is using it.',
    short: () => 'not a trusted app',
  },
  impersonation: {
    because: () => 'an app calls itself by the name of an app you trust but runs a different program',
    sentence: () => 'An app calls itself by the name of an app you trust, but it runs a different program.',
    short: () => 'pretends to be a trusted app',
  },
  'no-app': {
    because: () => 'CamGuard could not tell which app turned it on',
    sentence: () => 'CamGuard could not tell which app is using it.',
    short: () => 'no app could be named',
  },
  'user-away': {
    because: () => 'you seemed to be away from the computer, or the screen was locked',
    sentence: (device) =>
      `The ${device} turned on while you seemed to be away from the computer, or the screen was locked.`,
    short: () => 'you seemed to be away',
  },
  'quiet-hours': {
    because: () => 'it is during your quiet hours',
    sentence: (device) => `The ${device} turned on during your quiet hours.`,
    short: () => 'during quiet hours',
  },
}

/** One reason in words; a code this version does not know (from a newer history file) is shown as it is. */
export function reasonWords(reason: string, form: ReasonForm, context: ReasonContext = {}): string {
  const text = (REASONS as Record<string, ReasonText | undefined>)[reason]
  return text ? text[form](deviceName(context.kind)) : reason
}

/** Several reasons in one clause: "it is not an app you have marked as trusted and it is during your quiet hours". */
export function reasonsBecause(reasons: readonly string[], context: ReasonContext = {}): string {
  return listWords(reasons.map((r) => reasonWords(r, 'because', context)))
}

// ---- How an app was seen using the device ----

/** 'short' follows an app's name in a line ("zoom (pid 42), streaming video"); 'sentence' stands alone. */
export type EvidenceForm = 'short' | 'sentence'

const EVIDENCE: Record<Evidence, Record<DeviceKind, Record<EvidenceForm, string>>> = {
  streaming: {
    camera: { short: 'streaming video', sentence: 'It is receiving pictures from the camera.' },
    microphone: { short: 'recording sound', sentence: 'It is receiving sound from the microphone.' },
  },
  open: {
    camera: { short: 'has the camera open', sentence: 'It has the camera open.' },
    microphone: { short: 'has the microphone open', sentence: 'It has the microphone open.' },
  },
  pipewire: {
    camera: {
      short: 'through PipeWire',
      sentence: "It is receiving pictures through the system's media service (PipeWire).",
    },
    microphone: {
      short: 'through PipeWire',
      sentence: "It is receiving sound through the system's media service (PipeWire).",
    },
  },
  'os-report': {
    camera: {
      short: 'reported by the system',
      sentence: 'Your computer reports that this app is using the camera.',
    },
    microphone: {
      short: 'reported by the system',
      sentence: 'Your computer reports that this app is using the microphone.',
    },
  },
}

/** How an app was seen using the device; an unknown code is named as it is. */
export function evidenceWords(evidence: string, form: EvidenceForm, kind: DeviceKind = 'camera'): string {
  const text = (EVIDENCE as Record<string, (typeof EVIDENCE)[Evidence] | undefined>)[evidence]
  if (text) return text[kind][form]
  return form === 'sentence' ? `Seen by: ${evidence}.` : `seen by ${evidence}`
}

// ---- What the buttons of an alert say ----

/** The label of each alert action, on a notification button and in the CLI's own notifier. */
export const ACTION_LABELS = {
  trust: 'Trust',
  'stop-app': 'Stop app',
  'remind-15': 'Remind me in 15 min',
  'open-guide': 'Open guide',
} as const satisfies Record<string, string>
