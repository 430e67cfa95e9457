import type { CameraSnapshot, CameraUser, DeviceKind, MonitorEvent } from '../shared/types.js'
import type { ActivityLog } from './activity-log.js'
import { DeviceSession, type Classification, type SessionView } from './device-session.js'
import type { CameraDetector, Clock, DetectorWatch } from './ports.js'
import { systemClock } from './ports.js'
import { errorMessage } from './files.js'

export type { Classification }

export interface MonitorOptions {
  detector: CameraDetector
  clock?: Clock
  /** Read before every wait, so a settings change applies at once. */
  intervalMs: () => number
  activity?: ActivityLog | null
  /** Decides whether apps turning a device on is unexpected (the policy's rules). */
  classify?: (kind: DeviceKind, apps: CameraUser[], at: number) => Classification
  /** An off-then-on within this many ms is one session (a device that flickers). */
  flickerMs?: number
}

/** Apps using any of these devices, once each. */
export function appsOfDevices(devices: CameraSnapshot['cameras']): CameraUser[] {
  const apps: CameraUser[] = []
  for (const device of devices) {
    for (const user of device.users) {
      if (!apps.some((a) => a.pid === user.pid && a.name === user.name)) apps.push(user)
    }
  }
  return apps
}

/** Apps using the camera, once each, across all cameras. */
export function appsOf(snapshot: CameraSnapshot): CameraUser[] {
  return appsOfDevices(snapshot.cameras)
}

/** Apps using the microphone, once each; none when the microphone is not watched. */
export function micAppsOf(snapshot: CameraSnapshot): CameraUser[] {
  return snapshot.microphone ? appsOfDevices(snapshot.microphone.devices) : []
}

/**
 * Turns detector snapshots into MonitorEvents and camera sessions. One check at a time; checks
 * run every intervalMs, and sooner when poked (an event-driven detector saw something happen).
 */
export class Monitor {
  private readonly clock: Clock
  private readonly listeners = new Set<(event: MonitorEvent) => void>()
  private timer: unknown = null
  private running = false
  private watch: DetectorWatch | null = null
  private checking: Promise<void> | null = null
  private again = false
  private last: CameraSnapshot | null = null
  /** The one owner of each device's session. */
  readonly sessions: Readonly<Record<DeviceKind, DeviceSession>>

  constructor(private readonly options: MonitorOptions) {
    this.clock = options.clock ?? systemClock
    const sessionOptions = {
      recorder: options.activity ?? null,
      ...(options.classify ? { classify: options.classify } : {}),
      ...(options.flickerMs !== undefined ? { flickerMs: options.flickerMs } : {}),
    }
    this.sessions = {
      camera: new DeviceSession('camera', sessionOptions),
      microphone: new DeviceSession('microphone', sessionOptions),
    }
  }

  on(listener: (event: MonitorEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  get snapshot(): CameraSnapshot | null {
    return this.last
  }

  /** The camera's session going on now, or null when it is off. */
  session(kind: DeviceKind = 'camera'): SessionView | null {
    return this.sessions[kind].current
  }

  async start(): Promise<void> {
    if (this.running) return
    this.running = true
    // Watch first, so nothing that happens after the first check goes unnoticed.
    if (this.options.detector.watch) {
      try {
        const watch = await this.options.detector.watch(() => this.poke())
        if (this.running) this.watch = watch
        else await watch.stop()
      } catch {
        this.watch = null // no watch: plain polling
      }
    }
    if (!this.running) return
    await this.check()
    this.schedule()
  }

  /** How the detector learns of changes while this monitor runs. */
  get mode(): 'event' | 'poll' {
    return this.watch?.mode ?? 'poll'
  }

  /** Stops checking and closes an open session in the log. */
  async stop(): Promise<void> {
    this.running = false
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
    const watch = this.watch
    this.watch = null
    await watch?.stop()
    await this.checking
    for (const session of Object.values(this.sessions)) session.stop(this.clock.now())
    await this.options.detector.close()
  }

  /** Asks for a check as soon as possible (coalesced with one already running). */
  poke(): void {
    if (!this.running) return
    if (this.checking) {
      this.again = true
      return
    }
    void this.check().then(() => this.schedule())
  }

  /** Runs one detection cycle. */
  check(): Promise<void> {
    if (this.checking) {
      this.again = true
      return this.checking
    }
    this.checking = (async () => {
      do {
        this.again = false
        let snapshot: CameraSnapshot
        try {
          snapshot = await this.options.detector.snapshot()
        } catch (err) {
          // Detectors should not throw; if one does, that is still "cannot tell", never "off".
          snapshot = {
            state: 'unknown',
            checkedAt: new Date(this.clock.now()).toISOString(),
            cameras: [],
            warnings: [],
            error: errorMessage(err),
          }
        }
        this.apply(snapshot)
      } while (this.again && this.running)
    })().finally(() => {
      this.checking = null
    })
    return this.checking
  }

  private schedule(): void {
    if (!this.running) return
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = this.clock.setTimeout(() => {
      this.timer = null
      void this.check().then(() => this.schedule())
    }, this.watch?.intervalMs() ?? this.options.intervalMs())
  }

  private emit(event: MonitorEvent): void {
    for (const listener of [...this.listeners]) listener(event)
  }

  private apply(snapshot: CameraSnapshot): void {
    const now = this.clock.now()
    const first = this.last === null
    this.last = snapshot
    if (first) {
      this.options.activity?.closeInterrupted()
      const at = new Date(now).toISOString()
      this.emit({ type: 'ready', at, snapshot, ...(snapshot.mode ? { mode: snapshot.mode } : {}) })
    }
    const events = this.sessions.camera.observe(
      snapshot.state,
      appsOf(snapshot),
      now,
      snapshot.error ?? 'the camera state could not be read',
    )
    const mic = snapshot.microphone
    if (mic) events.push(...this.sessions.microphone.observe(mic.state, micAppsOf(snapshot), now, mic.error))
    else if (this.sessions.microphone.current) {
      // Microphone watching was turned off: its session ends in the history, and nobody can say
      // any more whether the microphone is on.
      this.sessions.microphone.stop(now)
      events.push(
        ...this.sessions.microphone.observe('unknown', [], now, 'the microphone is no longer watched'),
      )
    }
    for (const event of events) this.emit(event)
  }
}
