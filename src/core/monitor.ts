import { randomUUID } from 'node:crypto'
import type {
  ActivitySession,
  AlertReason,
  CameraSnapshot,
  CameraUser,
  MonitorEvent,
} from '../shared/types.js'
import type { ActivityLog } from './activity-log.js'
import type { CameraDetector, Clock, DetectorWatch } from './ports.js'
import { systemClock } from './ports.js'
import { errorMessage } from './files.js'

export type Classification = { unexpected: boolean; reasons: AlertReason[] }

export interface MonitorOptions {
  detector: CameraDetector
  clock?: Clock
  /** Read before every wait, so a settings change applies at once. */
  intervalMs: () => number
  activity?: ActivityLog | null
  /** Decides whether apps turning the camera on is unexpected (the policy's rules). */
  classify?: (apps: CameraUser[], at: number) => Classification
  /** An off-then-on within this many ms is one session (a camera that flickers). */
  flickerMs?: number
}

/** Apps using the camera, once each, across all cameras. */
export function appsOf(snapshot: CameraSnapshot): CameraUser[] {
  const apps: CameraUser[] = []
  for (const camera of snapshot.cameras) {
    for (const user of camera.users) {
      if (!apps.some((a) => a.pid === user.pid && a.name === user.name)) apps.push(user)
    }
  }
  return apps
}

const appKey = (apps: CameraUser[]) =>
  apps
    .map((a) => `${a.pid}:${a.name}`)
    .sort()
    .join(',')

interface Session {
  record: ActivitySession
  startMs: number
  apps: CameraUser[]
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
  private lastState: CameraSnapshot['state'] | null = null
  private session: Session | null = null
  /** The session that just ended, kept for flickerMs in case the camera comes straight back. */
  private ended: { session: Session; endMs: number } | null = null

  constructor(private readonly options: MonitorOptions) {
    this.clock = options.clock ?? systemClock
  }

  on(listener: (event: MonitorEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  get snapshot(): CameraSnapshot | null {
    return this.last
  }

  /** When the current session began (ms), or null when the camera is off. */
  get sessionStart(): number | null {
    return this.session?.startMs ?? null
  }

  get sessionRecord(): ActivitySession | null {
    return this.session?.record ?? null
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
    if (this.session) this.closeSession(this.clock.now())
    this.ended = null
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

  private classify(apps: CameraUser[], at: number): Classification {
    return this.options.classify?.(apps, at) ?? { unexpected: false, reasons: [] }
  }

  private apply(snapshot: CameraSnapshot): void {
    const now = this.clock.now()
    const at = new Date(now).toISOString()
    const first = this.last === null
    const previous = this.lastState
    this.last = snapshot
    this.lastState = snapshot.state
    if (first) {
      this.options.activity?.closeInterrupted()
      this.emit({ type: 'ready', at, snapshot, ...(snapshot.mode ? { mode: snapshot.mode } : {}) })
    }
    if (this.ended && now - this.ended.endMs > (this.options.flickerMs ?? 2000)) this.ended = null

    if (snapshot.state === 'unknown') {
      // Keep any session open: we cannot tell whether the camera went off.
      if (previous !== 'unknown') {
        this.emit({
          type: 'state-unknown',
          at,
          error: snapshot.error ?? 'the camera state could not be read',
        })
      }
      return
    }
    const apps = appsOf(snapshot)
    if (snapshot.state === 'on') {
      if (!this.session) {
        if (this.ended) {
          // Back within the flicker window: the same session goes on.
          this.session = this.ended.session
          this.ended = null
          this.session.record = { ...this.session.record, end: null, durationMs: null }
          this.options.activity?.update(this.session.record)
          // Said out loud so nobody is left believing the camera is off; the policy does not alert
          // again for the same apps.
          const changed = appKey(apps) !== appKey(this.session.apps)
          const again = changed ? this.classify(apps, now) : { unexpected: false, reasons: [] }
          this.session.apps = apps
          this.emit({ type: 'camera-on', at, apps, ...again, resumed: true })
          return
        }
        const { unexpected, reasons } = this.classify(apps, now)
        this.openSession(apps, now, unexpected, reasons)
        this.emit({ type: 'camera-on', at, apps, unexpected, reasons })
      } else if (appKey(apps) !== appKey(this.session.apps)) {
        this.appsChanged(apps, now, at)
      }
      return
    }
    // off
    if (this.session) {
      const durationMs = now - this.session.startMs
      const session = this.closeSession(now)
      this.ended = { session, endMs: now }
      this.emit({ type: 'camera-off', at, durationMs })
    }
  }

  private appsChanged(apps: CameraUser[], now: number, at: string): void {
    const session = this.session!
    const added = apps.filter((a) => !session.apps.some((b) => b.pid === a.pid && b.name === a.name))
    // Only newcomers can make the change unexpected: an app that left is no reason to alert again.
    const { unexpected, reasons } = added.length
      ? this.classify(added, now)
      : { unexpected: false, reasons: [] }
    session.apps = apps
    const known = session.record.apps
    const merged = [...known, ...apps.filter((a) => !known.some((b) => b.pid === a.pid && b.name === a.name))]
    session.record = {
      ...session.record,
      apps: merged,
      unexpected: session.record.unexpected || unexpected,
      reasons: [...new Set([...session.record.reasons, ...reasons])],
    }
    this.options.activity?.update(session.record)
    this.emit({ type: 'apps-changed', at, apps, unexpected, reasons })
  }

  private openSession(apps: CameraUser[], now: number, unexpected: boolean, reasons: AlertReason[]): void {
    const record: ActivitySession = {
      id: randomUUID(),
      start: new Date(now).toISOString(),
      end: null,
      durationMs: null,
      apps,
      unexpected,
      reasons,
    }
    this.session = { record, startMs: now, apps }
    this.options.activity?.append(record)
  }

  private closeSession(now: number): Session {
    const session = this.session!
    session.record = {
      ...session.record,
      end: new Date(now).toISOString(),
      durationMs: now - session.startMs,
    }
    this.options.activity?.update(session.record)
    this.session = null
    return session
  }
}
