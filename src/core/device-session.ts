// The one owner of a device's session (one per kind: camera, microphone): when it opened, which apps
// used the device, whether that was expected and why not, its "still on" reminders, a flicker
// (off for under flickerMs, then on again) resuming it, and its record in the history. The monitor
// feeds it what the detector saw; the engine, the status, the tray and the history read it.
import { randomUUID } from 'node:crypto'
import type {
  ActivitySession,
  AlertReason,
  CameraState,
  CameraUser,
  DeviceKind,
  MonitorEvent,
} from '../shared/types.js'
import { ReminderSchedule, type ReminderMemo } from './policy.js'

export type Classification = { unexpected: boolean; reasons: AlertReason[] }

/** Where sessions are recorded (the activity log). */
export interface SessionRecorder {
  append(session: ActivitySession): void
  update(session: ActivitySession): void
}

export interface DeviceSessionOptions {
  recorder?: SessionRecorder | null
  /** Decides whether apps turning the device on is unexpected (the policy's rules). */
  classify?: (kind: DeviceKind, apps: CameraUser[], at: number) => Classification
  /** An off-then-on within this many ms is one session (a device that flickers). */
  flickerMs?: number
}

/** What the faces read about a device's session. */
export interface SessionView {
  kind: DeviceKind
  /** When the session began (ms). */
  startMs: number
  /** The apps using the device now. */
  apps: CameraUser[]
  /** Whether anything in this session so far was unexpected, and every reason why. */
  unexpected: boolean
  reasons: AlertReason[]
  /** The history record: every app seen in the session. */
  record: ActivitySession
}

const sameApp = (a: CameraUser, b: CameraUser) => a.pid === b.pid && a.name === b.name && a.exe === b.exe

const appKey = (apps: CameraUser[]) =>
  apps
    .map((a) => `${a.pid}:${a.name}:${a.exe}`)
    .sort()
    .join(',')

interface Open {
  record: ActivitySession
  startMs: number
  apps: CameraUser[]
}

type DeviceEvent = Extract<MonitorEvent, { kind: DeviceKind }>

export class DeviceSession {
  readonly reminders = new ReminderSchedule()
  private open: Open | null = null
  /** The session that just ended, kept for flickerMs in case the device comes straight back. */
  private ended: { session: Open; endMs: number; reminders: ReminderMemo } | null = null
  private lastState: CameraState | null = null

  constructor(
    readonly kind: DeviceKind,
    private readonly options: DeviceSessionOptions = {},
  ) {}

  /** The session going on now, or null when the device is off. */
  get current(): SessionView | null {
    const s = this.open
    if (!s) return null
    return {
      kind: this.kind,
      startMs: s.startMs,
      apps: s.apps,
      unexpected: s.record.unexpected,
      reasons: s.record.reasons,
      record: s.record,
    }
  }

  get state(): CameraState | null {
    return this.lastState
  }

  /** Takes in what the detector saw at `now`; returns the events it means, in order. */
  observe(state: CameraState, apps: CameraUser[], now: number, error?: string): DeviceEvent[] {
    const at = new Date(now).toISOString()
    const previous = this.lastState
    this.lastState = state
    if (this.ended && now - this.ended.endMs > (this.options.flickerMs ?? 2000)) this.ended = null
    if (state === 'unknown') {
      // Any session stays open: nobody can tell whether the device went off.
      if (previous === 'unknown') return []
      return [
        {
          type: 'state-unknown',
          kind: this.kind,
          at,
          error: error ?? `the ${this.kind} state could not be read`,
        },
      ]
    }
    if (state === 'on') {
      if (this.open) return appKey(apps) === appKey(this.open.apps) ? [] : [this.appsChanged(apps, now, at)]
      if (this.ended) return [this.resume(apps, now, at)]
      return [this.start(apps, now, at)]
    }
    if (!this.open) return []
    const durationMs = now - this.open.startMs
    const session = this.close(now)
    this.ended = { session, endMs: now, reminders: this.reminders.cameraOff() }
    return [this.offEvent(at, durationMs)]
  }

  /** Closes an open session in the history (the monitor stops); no event. */
  stop(now: number): void {
    if (this.open) this.close(now)
    this.reminders.cameraOff()
    this.ended = null
  }

  private start(apps: CameraUser[], now: number, at: string): DeviceEvent {
    const { unexpected, reasons } = this.classify(apps, now)
    const record: ActivitySession = {
      id: randomUUID(),
      kind: this.kind,
      start: at,
      end: null,
      durationMs: null,
      apps,
      unexpected,
      reasons,
    }
    this.open = { record, startMs: now, apps }
    this.options.recorder?.append(record)
    this.reminders.cameraOn(now)
    return this.onEvent({ at, apps, unexpected, reasons })
  }

  /**
   * Back within the flicker window: the same session goes on, with its reminders. Said out loud so
   * nobody is left believing the device is off. Apps that were not in the session before are
   * classified, and join its record with their reasons, as when they join a session that never
   * went off.
   */
  private resume(apps: CameraUser[], now: number, at: string): DeviceEvent {
    const { session, reminders } = this.ended!
    this.ended = null
    this.open = session
    this.reminders.resume(reminders)
    const added = apps.filter((a) => !session.record.apps.some((b) => sameApp(a, b)))
    const change = this.join(apps, added, now)
    session.record = { ...session.record, end: null, durationMs: null }
    this.options.recorder?.update(session.record)
    return this.onEvent({ at, apps, ...change, resumed: true })
  }

  private appsChanged(apps: CameraUser[], now: number, at: string): DeviceEvent {
    const session = this.open!
    const added = apps.filter((a) => !session.apps.some((b) => sameApp(a, b)))
    const change = this.join(apps, added, now)
    this.options.recorder?.update(session.record)
    return { type: 'apps-changed', kind: this.kind, at, apps, ...change }
  }

  /** Only newcomers can make a change unexpected: an app that left is no reason to alert again. */
  private join(apps: CameraUser[], added: CameraUser[], now: number): Classification {
    const session = this.open!
    const change = added.length ? this.classify(added, now) : { unexpected: false, reasons: [] }
    session.apps = apps
    const known = session.record.apps
    session.record = {
      ...session.record,
      apps: [...known, ...apps.filter((a) => !known.some((b) => sameApp(a, b)))],
      unexpected: session.record.unexpected || change.unexpected,
      reasons: [...new Set([...session.record.reasons, ...change.reasons])],
    }
    return change
  }

  private close(now: number): Open {
    const session = this.open!
    session.record = {
      ...session.record,
      end: new Date(now).toISOString(),
      durationMs: now - session.startMs,
    }
    this.options.recorder?.update(session.record)
    this.open = null
    return session
  }

  private classify(apps: CameraUser[], now: number): Classification {
    return this.options.classify?.(this.kind, apps, now) ?? { unexpected: false, reasons: [] }
  }

  private onEvent(e: Omit<Extract<DeviceEvent, { type: 'camera-on' }>, 'type' | 'kind'>): DeviceEvent {
    return this.kind === 'camera'
      ? { type: 'camera-on', kind: 'camera', ...e }
      : { type: 'microphone-on', kind: 'microphone', ...e }
  }

  private offEvent(at: string, durationMs: number): DeviceEvent {
    return this.kind === 'camera'
      ? { type: 'camera-off', kind: 'camera', at, durationMs }
      : { type: 'microphone-off', kind: 'microphone', at, durationMs }
  }
}
