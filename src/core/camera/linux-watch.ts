// One running watch of the Linux camera devices: inotify on the device nodes (open and close) and
// on their folders (plug and unplug). Any event pokes the monitor, which runs a full (cached)
// snapshot. All timing goes through the injected clock.
import type { Clock, DetectionModeReason } from '../ports.js'
import { errorMessage } from '../files.js'
import { expandDevicePatterns, watchDirectories, type DeviceFile } from './devices.js'
import { IN, type FileWatch, type FileWatcherFactory, type InotifyEventName } from './inotify.js'
import { fdsStillOpen, mappedDevices, readMaps } from './proc.js'

// Opens and closes of the device nodes; the rest say the node itself went away.
export const FILE_MASK = IN.OPEN | IN.CLOSE_WRITE | IN.CLOSE_NOWRITE | IN.DELETE_SELF | IN.MOVE_SELF
// Device nodes appearing or going in the folders the patterns look in.
export const DIR_MASK = IN.CREATE | IN.DELETE | IN.MOVED_TO | IN.MOVED_FROM | IN.ONLYDIR
// inotify reports an open before the new fd is listed in /proc: look once more a little later.
export const FOLLOW_UP_MS = 150
// After a watch failed to start, try again at most this often (polling meanwhile).
export const RETRY_MS = 30_000

/** A process holding a device, as the last snapshot saw it. */
export interface HolderState {
  pid: number
  fds: ReadonlyMap<string, string>
  mapped: ReadonlySet<string>
}

export interface LinuxWatchOptions {
  factory: FileWatcherFactory
  clock: Clock
  devicePatterns: () => readonly string[]
  procRoot: string
  /** Asks the monitor for a check now. */
  onChange: () => void
  /** While something holds a device, how often its fds and maps are re-read. */
  holderPollMs: number
  /** Events closer together than this make one check. */
  debounceMs: number
}

const keyOf = (devices: readonly DeviceFile[]) => [...new Set(devices.map((d) => d.real))].sort().join('\n')

export class LinuxWatchSession {
  mode: 'event' | 'poll' = 'event'
  /** Why the session polls instead of watching; null while events flow. */
  fallback: string | null = null
  private file: FileWatch | null = null
  private dirs: FileWatch | null = null
  private watchedKey: string | null = null
  private retryAt = 0
  private stopped = false
  private restarting: Promise<void> = Promise.resolve()
  private debounce: unknown = null
  private followUp: unknown = null
  private holderTimer: unknown = null
  private holders: HolderState[] = []
  private holderChanged = false
  /** Something was reported since the last snapshot (an event, a poke, a fallback, a rebuild). */
  private dirty = true

  constructor(private readonly o: LinuxWatchOptions) {}

  /** What `camguard doctor` shows as the mode and its reason. */
  get reason(): DetectionModeReason {
    return this.fallback
      ? { mode: 'poll', why: `inotify failed (${this.fallback}); checking on a timer` }
      : { mode: 'event', why: 'inotify reports every open and close of the device nodes' }
  }

  async start(): Promise<void> {
    const devices = expandDevicePatterns(this.o.devicePatterns())
    await this.watchFiles(devices)
    if (this.mode !== 'event') return
    const dirs = watchDirectories(this.o.devicePatterns())
    if (dirs.length === 0) return
    try {
      const dirWatch = await this.o.factory(dirs, DIR_MASK, {
        onEvent: () => this.poke(),
        onExit: () => {
          this.dirs = null // plug-ins are still caught by the reconciliation check
        },
      })
      if (this.stopped) await dirWatch.stop()
      else this.dirs = dirWatch
    } catch {
      this.dirs = null
    }
  }

  /** (Re)starts the watch on the device nodes; on failure the monitor polls instead. */
  private async watchFiles(devices: readonly DeviceFile[]): Promise<void> {
    const paths = [...new Set(devices.map((d) => d.real))].sort()
    this.watchedKey = paths.join('\n')
    const old = this.file
    this.file = null
    await old?.stop()
    if (this.stopped || paths.length === 0) return
    try {
      const watch = await this.o.factory(paths, FILE_MASK, {
        onEvent: (_path, events) => this.onFileEvent(events),
        onExit: (reason) => {
          if (this.file !== watch) return
          this.file = null
          this.watchedKey = null // the next snapshot starts it again (e.g. the node was removed)
          this.fellBack(reason)
        },
      })
      if (this.stopped) return void (await watch.stop())
      this.file = watch
      this.mode = 'event'
      this.fallback = null
    } catch (err) {
      // Try again later (after RETRY_MS), unless inotify cannot be had at all here.
      if (this.o.factory.available?.() !== false) this.watchedKey = null
      this.fellBack(errorMessage(err))
    }
  }

  private fellBack(reason: string): void {
    this.dirty = true
    this.mode = 'poll'
    this.fallback = reason
    this.retryAt = this.o.clock.now() + RETRY_MS
    this.stopHolderPoll()
    this.o.onChange() // the monitor picks up the poll interval
  }

  private onFileEvent(events: readonly InotifyEventName[]): void {
    this.dirty = true
    if (events.includes('OPEN')) {
      if (this.followUp !== null) this.o.clock.clearTimeout(this.followUp)
      this.followUp = this.o.clock.setTimeout(() => {
        this.followUp = null
        if (!this.stopped) this.o.onChange()
      }, FOLLOW_UP_MS)
    }
    this.poke()
  }

  poke(): void {
    this.dirty = true
    if (this.stopped || this.debounce !== null) return
    this.debounce = this.o.clock.setTimeout(() => {
      this.debounce = null
      if (!this.stopped) this.o.onChange()
    }, this.o.debounceMs)
  }

  /**
   * Whether the snapshot about to run is a reconciliation: events flow and nothing was reported
   * since the last snapshot. Asking clears the record.
   */
  takeQuiet(): boolean {
    const quiet = this.mode === 'event' && !this.dirty
    this.dirty = false
    return quiet
  }

  /** Called after every snapshot while watching. */
  after(devices: readonly DeviceFile[], holders: HolderState[]): void {
    if (this.stopped) return
    const key = keyOf(devices)
    if (key !== this.watchedKey && (this.mode === 'event' || this.o.clock.now() >= this.retryAt)) {
      this.watchedKey = key
      // Events are lost while the watch is rebuilt: check again once it stands.
      this.restarting = this.restarting
        .then(() => this.watchFiles(devices))
        .then(() => this.poke())
        .catch(() => undefined)
    }
    this.holders = holders
    this.holderChanged = false
    if (holders.length > 0 && this.mode === 'event') this.startHolderPoll()
    else this.stopHolderPoll()
  }

  // A program that stops streaming but keeps the device open changes only its maps: no inotify
  // event says so. Re-read just the holders' fds and maps, which is cheap.
  private startHolderPoll(): void {
    if (this.holderTimer !== null) return
    this.holderTimer = this.o.clock.setTimeout(() => {
      this.holderTimer = null
      if (this.stopped || this.mode !== 'event') return
      if (!this.holderChanged && this.holdersChanged()) {
        this.holderChanged = true
        this.dirty = true
        this.o.onChange()
      }
      if (this.holders.length > 0) this.startHolderPoll()
    }, this.o.holderPollMs)
  }

  private holdersChanged(): boolean {
    for (const h of this.holders) {
      const maps = readMaps(h.pid, this.o.procRoot)
      const mapped = maps === null ? null : mappedDevices(maps, new Set(h.fds.values()))
      const same =
        mapped !== null &&
        mapped.size === h.mapped.size &&
        [...mapped].every((d) => h.mapped.has(d)) &&
        fdsStillOpen(h.pid, h.fds, this.o.procRoot)
      if (!same) return true
    }
    return false
  }

  private stopHolderPoll(): void {
    if (this.holderTimer !== null) this.o.clock.clearTimeout(this.holderTimer)
    this.holderTimer = null
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const t of [this.debounce, this.followUp]) if (t !== null) this.o.clock.clearTimeout(t)
    this.debounce = this.followUp = null
    this.stopHolderPoll()
    await this.restarting
    const watches = [this.file, this.dirs]
    this.file = this.dirs = null
    await Promise.all(watches.map((w) => w?.stop()))
  }
}
