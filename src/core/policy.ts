import type { Settings } from '../shared/settings.js'
import type { AlertReason, CameraUser, DeviceKind, MonitorEvent } from '../shared/types.js'
import {
  addTrust,
  impersonationText,
  matchTrust,
  trustEntries,
  trustEntryFor,
  type TrustEntry,
} from '../shared/trust.js'
import { appNames, capitalize, deviceName, formatDuration, reasonsBecause } from '../shared/words.js'
import type { Alert, AlertAction, AlertTargets } from './ports.js'

const MINUTE = 60_000

/** Minutes since local midnight. */
export function minuteOfDay(at: Date): number {
  return at.getHours() * 60 + at.getMinutes()
}

function parseHHMM(s: string): number {
  const [h, m] = s.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** Quiet hours may cross midnight (22:00–07:00); start == end means all day. */
export function inQuietHours(at: Date, quiet: Settings['quietHours']): boolean {
  if (!quiet) return false
  const now = minuteOfDay(at)
  const start = parseHHMM(quiet.start)
  const end = parseHHMM(quiet.end)
  if (start === end) return true
  return start < end ? now >= start && now < end : now >= start || now < end
}

export interface PolicyInput {
  settings: Settings
  at: Date
  /** Idle for awayMinutes or the screen locked; null where the platform cannot tell. */
  userAway: boolean | null
  /** The device the apps turned on; the camera when not said. */
  kind?: DeviceKind
}

/** Why an activation is unexpected (docs/architecture.md, "Alerts"); empty means expected. */
export function activationReasons(apps: CameraUser[], input: PolicyInput): AlertReason[] {
  const reasons: AlertReason[] = []
  const entries = trustEntries(input.settings.trustedApps)
  const verdicts = apps.map((a) => matchTrust(a, entries, input.kind ?? 'camera').status)
  if (apps.length === 0) reasons.push('no-app')
  if (verdicts.includes('untrusted')) reasons.push('untrusted-app')
  if (verdicts.includes('impersonation')) reasons.push('impersonation')
  if (input.userAway) reasons.push('user-away')
  if (inQuietHours(input.at, input.settings.quietHours)) reasons.push('quiet-hours')
  return reasons
}

/**
 * What an alert's actions act on: "Stop app" only the apps that are not trusted (never the trusted
 * app a stranger joined), "Trust" only their identities; apps that cannot be trusted safely (no
 * executable, or an interpreter) are listed with the reason.
 */
export function alertTargets(
  apps: CameraUser[],
  entries: readonly TrustEntry[],
  kind: DeviceKind,
): AlertTargets {
  const targets: AlertTargets = { stop: [], trust: [], refused: [] }
  for (const app of apps) {
    if (matchTrust(app, entries, kind).status === 'trusted') continue
    if (app.pid !== null && !targets.stop.some((t) => t.pid === app.pid))
      targets.stop.push({ pid: app.pid, name: app.name, exe: app.exe })
    const entry = trustEntryFor(app, [kind])
    if (!entry.ok) targets.refused.push({ name: app.name, why: entry.why })
    else targets.trust = addTrust(targets.trust, entry.entry)
  }
  return targets
}

/** The impersonations among the apps, in plain words (not yet escaped). */
export function impersonations(
  apps: CameraUser[],
  entries: readonly TrustEntry[],
  kind: DeviceKind,
): string[] {
  return apps.flatMap((app) => {
    const m = matchTrust(app, entries, kind)
    return m.status === 'impersonation' ? [impersonationText(app, m.entry)] : []
  })
}

const actionsFor = (targets: AlertTargets): AlertAction[] => [
  ...(targets.trust.length ? (['trust'] as const) : []),
  ...(targets.stop.length ? (['stop-app'] as const) : []),
  'remind-15',
  'open-guide',
]

const deviceWords = (kind: DeviceKind) => ({
  Device: capitalize(deviceName(kind)),
  your: `Your ${deviceName(kind)}`,
})

/**
 * Decides what to tell the user about one monitor event. Returns null for events that need no
 * notification: a camera going off, an expected activation (unless notifyFor is 'all'), the same
 * apps coming back after a flicker, anything while alerts are paused.
 */
export function decideAlert(event: MonitorEvent, input: PolicyInput & { paused: boolean }): Alert | null {
  if (input.paused) return null
  const entries = trustEntries(input.settings.trustedApps)
  switch (event.type) {
    case 'camera-on':
    case 'microphone-on':
    case 'apps-changed': {
      if (event.type !== 'apps-changed' && event.resumed && !event.unexpected) return null
      if (!event.unexpected && input.settings.notifyFor !== 'all') return null
      const who = appNames(event.apps)
      const device = event.kind
      const { Device, your } = deviceWords(device)
      if (event.unexpected) {
        const why = reasonsBecause(event.reasons, { kind: device })
        const noApp = event.apps.length === 0
        // Untrusted apps first, where the eye goes; the actions act on the targets only.
        const trusted = (a: CameraUser) => matchTrust(a, entries, device).status === 'trusted'
        const apps = [...event.apps.filter((a) => !trusted(a)), ...event.apps.filter(trusted)]
        const targets = alertTargets(apps, entries, device)
        const fakes = impersonations(apps, entries, device).map((t) => `${t}. `)
        return {
          kind: 'unexpected',
          device,
          urgency: 'critical',
          title: noApp ? `${your} turned on` : `${your} turned on: ${who}`,
          body:
            (noApp ? `${your} is on. ` : `${who} is using ${your.toLowerCase()}. `) +
            `This was not expected because ${why}. ` +
            fakes.join('') +
            `If you did not start this, stop the app${device === 'camera' ? ' or cover the camera' : ''}. You are not in trouble, and help is in the guide.`,
          apps,
          reasons: event.reasons,
          at: event.at,
          targets,
          actions: actionsFor(targets),
        }
      }
      return {
        kind: 'expected',
        device,
        urgency: 'normal',
        title: `${Device} on: ${who}`,
        body: `${who} is using ${your.toLowerCase()}.`,
        apps: event.apps,
        reasons: [],
        at: event.at,
        targets: { stop: [], trust: [], refused: [] },
        actions: ['remind-15', 'open-guide'],
      }
    }
    case 'still-on': {
      const who = appNames(event.apps)
      const targets = alertTargets(event.apps, entries, event.kind)
      const { your } = deviceWords(event.kind)
      return {
        kind: 'still-on',
        device: event.kind,
        urgency: 'normal',
        title: `${your} is still on`,
        body:
          (event.apps.length ? `${who} has been using ${your.toLowerCase()}` : `${your} has been on`) +
          ` for ${formatDuration(event.onForMs)}. If you are not using it, close the app or stop it.`,
        apps: event.apps,
        reasons: [],
        at: event.at,
        targets,
        actions: actionsFor(targets),
      }
    }
    default:
      return null
  }
}

/**
 * When "still on" reminders are due. Pure: the engine asks nextDue() to set one timer and due() when
 * it fires. Snoozing holds back the regular reminders; a reminder armed by hand fires regardless.
 */
export interface ReminderMemo {
  onSince: number | null
  lastRegular: number | null
  armedAt: number | null
  snoozedUntil: number | 'off' | null
}

export class ReminderSchedule {
  private onSince: number | null = null
  private lastRegular: number | null = null
  private snoozedUntil: number | 'off' | null = null
  private armedAt: number | null = null

  cameraOn(now: number): void {
    if (this.onSince === null) {
      this.onSince = now
      this.lastRegular = null
      // "Until off" is about a session; one asked for while the camera was off has nothing to hold back.
      if (this.snoozedUntil === 'off') this.snoozedUntil = null
    }
  }

  /**
   * The camera went off: reminders stop, a snooze "until off" ends, an armed reminder is cancelled.
   * Returns what resume() needs if the camera comes straight back (a flicker is one session).
   */
  cameraOff(): ReminderMemo {
    const memo: ReminderMemo = {
      onSince: this.onSince,
      lastRegular: this.lastRegular,
      armedAt: this.armedAt,
      snoozedUntil: this.snoozedUntil,
    }
    this.onSince = null
    this.lastRegular = null
    this.armedAt = null
    if (this.snoozedUntil === 'off') this.snoozedUntil = null
    return memo
  }

  /** The camera came back within the flicker window: the session, its reminders and snooze go on. */
  resume(memo: ReminderMemo): void {
    this.onSince = memo.onSince
    this.lastRegular = memo.lastRegular
    this.armedAt = memo.armedAt
    this.snoozedUntil = this.snoozedUntil ?? memo.snoozedUntil
  }

  snooze(minutes: number | null, now: number): void {
    this.snoozedUntil = minutes === null ? 'off' : now + minutes * MINUTE
  }

  /** Arms a one-off reminder; false when the camera is off (there is nothing to remind about). */
  arm(minutes: number, now: number): boolean {
    if (this.onSince === null) return false
    this.armedAt = now + minutes * MINUTE
    return true
  }

  get state(): { snoozedUntil: number | 'off' | null; armedAt: number | null; onSince: number | null } {
    return { snoozedUntil: this.snoozedUntil, armedAt: this.armedAt, onSince: this.onSince }
  }

  private nextRegular(settings: Settings): number | null {
    if (this.onSince === null) return null
    let due =
      this.lastRegular === null
        ? this.onSince + settings.stillOnMinutes * MINUTE
        : this.lastRegular + settings.remindEveryMinutes * MINUTE
    if (this.snoozedUntil === 'off') return null
    if (this.snoozedUntil !== null && this.snoozedUntil > due) due = this.snoozedUntil
    return due
  }

  nextDue(settings: Settings): number | null {
    const candidates = [this.nextRegular(settings), this.onSince === null ? null : this.armedAt].filter(
      (t): t is number => t !== null,
    )
    return candidates.length ? Math.min(...candidates) : null
  }

  /** The reminder due at `now`, if any; marks it given. */
  due(now: number, settings: Settings): { armed: boolean; onForMs: number } | null {
    if (this.onSince === null) return null
    const onForMs = now - this.onSince
    const regular = this.nextRegular(settings)
    if (this.armedAt !== null && now >= this.armedAt) {
      this.armedAt = null
      // A regular reminder due at the same time is given by this one: one notification, not two.
      if (regular !== null && now >= regular) this.lastRegular = now
      return { armed: true, onForMs }
    }
    if (regular !== null && now >= regular) {
      this.lastRegular = now
      if (typeof this.snoozedUntil === 'number' && now >= this.snoozedUntil) this.snoozedUntil = null
      return { armed: false, onForMs }
    }
    return null
  }
}
