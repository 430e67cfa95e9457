import type { ActivitySession, DeviceKind } from '../../shared/types.js'

/** A session from the activity log as the report shows it: with the device it concerns. */
export type DeviceSession = ActivitySession & { kind: DeviceKind }

const DAY_MS = 86_400_000

function dayStart(t: number): number {
  const d = new Date(t)
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
}

/**
 * The camera (and microphone) sessions of the local days the entries fall on: each session that
 * overlaps one of those days, oldest first. Sessions written before the log named the device are the
 * camera's.
 */
export function sessionsOfDays(
  sessions: readonly ActivitySession[],
  entries: readonly { at: string }[],
): DeviceSession[] {
  const days = [...new Set(entries.map((e) => dayStart(Date.parse(e.at))))]
  const overlaps = (s: ActivitySession): boolean => {
    const start = Date.parse(s.start)
    const end = s.end === null ? start : Date.parse(s.end)
    if (Number.isNaN(start)) return false
    // A day is [midnight, next midnight); a day of 23 or 25 hours ends at the next local midnight.
    return days.some((day) => start < dayStart(day + DAY_MS + 3 * 3_600_000) && end >= day)
  }
  return sessions
    .filter(overlaps)
    .map((s) => ({ ...s, kind: kindOf(s) }))
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
}

function kindOf(s: ActivitySession): DeviceKind {
  const kind = (s as { kind?: unknown }).kind
  return kind === 'microphone' ? 'microphone' : 'camera'
}
