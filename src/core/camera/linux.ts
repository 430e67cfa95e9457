import type { Camera, CameraSnapshot, CameraUser, DetectionMode } from '../../shared/types.js'
import type { CameraDetector, Clock, DetectorWatch, Runner } from '../ports.js'
import { systemClock } from '../ports.js'
import { errorMessage } from '../files.js'
import { expandDevicePatterns, watchDirectories, type DeviceFile } from './devices.js'
import { createInotifyWatcher, type FileWatch, type FileWatcherFactory } from './inotify.js'
import { MEDIA_BROKERS, parsePwDump, type PipeWireCameraStream } from './pipewire.js'
import { ProcScanner, fdsStillOpen, mappedDevices, readMaps } from './proc.js'
import { groupCameras } from './sysfs.js'

export interface LinuxDetectorOptions {
  /** Read on every snapshot, so a settings change applies without a restart. */
  devicePatterns: () => readonly string[]
  procRoot?: string
  sysRoot?: string
  runner?: Runner
  /** pw-dump to ask for PipeWire clients; null to never ask. */
  pwDump?: string | null
  clock?: Clock
  /**
   * 'auto' (default) watches the device nodes with inotify while a monitor runs and falls back to
   * polling where it cannot; 'poll' never watches (CAMGUARD_DETECTION=poll).
   */
  detection?: 'auto' | 'poll'
  /** How device files are watched; null for not at all. Default: inotifywait. */
  watcher?: FileWatcherFactory | null
  /** While watching, a full check this often catches anything the events missed. Default 30 s. */
  reconcileMs?: number
  /** While watching, how often known holders' fds and maps are re-read. Default 500 ms. */
  holderPollMs?: number
  /** Events closer together than this make one check. Default 15 ms. */
  debounceMs?: number
  /** Reuse what a process had open while it has not run since the last look. Default true. */
  cache?: boolean
}

// Opens and closes of the device nodes; the rest say the node itself went away.
const FILE_EVENTS = ['open', 'close', 'delete_self', 'move_self']
// Device nodes appearing or going in the folders the patterns look in.
const DIR_EVENTS = ['create', 'delete', 'moved_to', 'moved_from']
// inotify reports an open before the new fd is listed in /proc: look once more a little later.
const FOLLOW_UP_MS = 150
// After a watch failed to start, try again at most this often (polling meanwhile).
const RETRY_MS = 30_000

interface HolderState {
  pid: number
  fds: ReadonlyMap<string, string>
  mapped: ReadonlySet<string>
}

export function createLinuxDetector(options: LinuxDetectorOptions): CameraDetector {
  const procRoot = options.procRoot ?? '/proc'
  const sysRoot = options.sysRoot ?? '/sys'
  const clock = options.clock ?? systemClock
  const pwDump = options.pwDump === undefined ? 'pw-dump' : options.pwDump
  const scanner = new ProcScanner(procRoot, { cache: options.cache !== false })
  const watcher =
    options.detection === 'poll'
      ? null
      : options.watcher === undefined
        ? createInotifyWatcher()
        : options.watcher
  const reconcileMs = options.reconcileMs ?? 30_000
  const holderPollMs = options.holderPollMs ?? 500
  const debounceMs = options.debounceMs ?? 15
  let session: WatchSession | null = null
  let plannedMode: DetectionMode | null = null

  /** The mode a monitor gets here: what `camguard status` reports when nothing is watching. */
  function modeNow(): DetectionMode {
    if (session) return session.mode
    plannedMode ??= watcher && (watcher.available?.() ?? true) ? 'event' : 'poll'
    return plannedMode
  }

  /**
   * One running watch: device nodes (open/close) and their folders (plug and unplug) in inotifywait
   * children. Any event pokes the monitor, which runs a full (cached) snapshot.
   */
  class WatchSession {
    mode: DetectionMode = 'event'
    fallback: string | null = null
    private file: FileWatch | null = null
    private dirs: FileWatch | null = null
    private watchedKey: string | null = null
    private retryAt = 0
    private stopped = false
    private restarting: Promise<void> = Promise.resolve()
    private debounce: ReturnType<typeof setTimeout> | null = null
    private followUp: ReturnType<typeof setTimeout> | null = null
    private holderTimer: ReturnType<typeof setInterval> | null = null
    private holders: HolderState[] = []
    private holderChanged = false

    constructor(
      private readonly factory: FileWatcherFactory,
      private readonly onChange: () => void,
    ) {}

    async start(): Promise<void> {
      const devices = expandDevicePatterns(options.devicePatterns())
      await this.watchFiles(devices)
      if (this.mode !== 'event') return
      const dirs = watchDirectories(options.devicePatterns())
      if (dirs.length === 0) return
      try {
        this.dirs = await this.factory(dirs, DIR_EVENTS, {
          onEvent: () => this.poke(),
          onExit: () => {
            this.dirs = null // plug-ins are still caught by the reconciliation check
          },
        })
        if (this.stopped) await this.dirs.stop()
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
        const watch = await this.factory(paths, FILE_EVENTS, {
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
        // Try again later (after RETRY_MS), unless the program is simply not installed.
        if (this.factory.available?.() !== false) this.watchedKey = null
        this.fellBack(errorMessage(err))
      }
    }

    private fellBack(reason: string): void {
      this.mode = 'poll'
      this.fallback = reason
      this.retryAt = Date.now() + RETRY_MS
      this.stopHolderPoll()
      this.onChange() // the monitor picks up the poll interval
    }

    private onFileEvent(events: readonly string[]): void {
      if (events.includes('OPEN')) {
        if (this.followUp) clearTimeout(this.followUp)
        this.followUp = setTimeout(() => {
          this.followUp = null
          this.onChange()
        }, FOLLOW_UP_MS)
      }
      this.poke()
    }

    poke(): void {
      if (this.stopped || this.debounce) return
      this.debounce = setTimeout(() => {
        this.debounce = null
        if (!this.stopped) this.onChange()
      }, debounceMs)
    }

    /** Called after every snapshot while watching. */
    after(devices: readonly DeviceFile[], holders: HolderState[]): void {
      if (this.stopped) return
      const key = [...new Set(devices.map((d) => d.real))].sort().join('\n')
      if (key !== this.watchedKey && (this.mode === 'event' || Date.now() >= this.retryAt)) {
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
      if (this.holderTimer) return
      this.holderTimer = setInterval(() => {
        if (this.holderChanged) return
        for (const h of this.holders) {
          const maps = readMaps(h.pid, procRoot)
          const mapped = maps === null ? null : mappedDevices(maps, new Set(h.fds.values()))
          const same =
            mapped !== null &&
            mapped.size === h.mapped.size &&
            [...mapped].every((d) => h.mapped.has(d)) &&
            fdsStillOpen(h.pid, h.fds, procRoot)
          if (!same) {
            this.holderChanged = true
            this.onChange()
            return
          }
        }
      }, holderPollMs)
      this.holderTimer.unref()
    }

    private stopHolderPoll(): void {
      if (this.holderTimer) clearInterval(this.holderTimer)
      this.holderTimer = null
    }

    async stop(): Promise<void> {
      this.stopped = true
      for (const t of [this.debounce, this.followUp]) if (t) clearTimeout(t)
      this.debounce = this.followUp = null
      this.stopHolderPoll()
      await this.restarting
      const watches = [this.file, this.dirs]
      this.file = this.dirs = null
      await Promise.all(watches.map((w) => w?.stop()))
    }
  }

  async function pipewireStreams(): Promise<{ streams: PipeWireCameraStream[] | null; warning?: string }> {
    if (!pwDump || !options.runner) return { streams: null }
    const result = await options.runner(pwDump, [], { timeoutMs: 3000 })
    if (result.spawnError) return { streams: null } // not installed: name the broker instead
    if (result.code !== 0)
      return {
        streams: null,
        warning: `pw-dump failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}); the app behind PipeWire could not be named`,
      }
    const streams = parsePwDump(result.stdout)
    return streams
      ? { streams }
      : {
          streams: null,
          warning:
            'pw-dump printed something CamGuard could not read; the app behind PipeWire could not be named',
        }
  }

  return {
    name: 'linux-proc',
    async close() {
      const s = session
      session = null
      await s?.stop()
      scanner.close()
    },
    async watch(onChange: () => void): Promise<DetectorWatch> {
      await session?.stop()
      session = null
      scanner.eager = true // a monitor scans again and again: remember from the first look
      if (!watcher) return { mode: 'poll', intervalMs: () => null, stop: async () => {} }
      const s = new WatchSession(watcher, onChange)
      session = s
      await s.start()
      return {
        get mode() {
          return s.mode
        },
        intervalMs: () => (s.mode === 'event' ? reconcileMs : null),
        async stop() {
          if (session === s) session = null
          await s.stop()
        },
      }
    },
    async snapshot(): Promise<CameraSnapshot> {
      const checkedAt = new Date(clock.now()).toISOString()
      const patterns = options.devicePatterns()
      try {
        const devices = expandDevicePatterns(patterns)
        const groups = groupCameras(devices, sysRoot)
        const warnings: string[] = []
        if (devices.length === 0) warnings.push(`No camera device found (looked for ${patterns.join(', ')}).`)
        const scan = scanner.scan(new Set(devices.map((d) => d.real)))
        if (scan.unreadable > 0) {
          warnings.push(
            `${scan.unreadable} ${scan.unreadable === 1 ? 'process' : 'processes'} of other users could not be read; an app run by another user would not be seen.`,
          )
        }
        // device real path -> users of it
        const usersOf = new Map<string, CameraUser[]>()
        const add = (device: string, user: CameraUser) => {
          const list = usersOf.get(device) ?? []
          if (!list.some((u) => u.pid === user.pid && u.name === user.name)) list.push(user)
          usersOf.set(device, list)
        }
        const brokerMapped: { device: string; user: CameraUser }[] = []
        const holderStates: HolderState[] = []
        for (const holder of scan.holders) {
          const details = scanner.details(holder.pid)
          if (!details) continue // ended while we looked
          const maps = readMaps(holder.pid, procRoot)
          const mapped = maps ? mappedDevices(maps, holder.devices) : new Set<string>()
          holderStates.push({ pid: holder.pid, fds: holder.fds, mapped })
          const broker = MEDIA_BROKERS.has(details.name)
          for (const device of holder.devices) {
            const streaming = mapped.has(device)
            const user: CameraUser = {
              pid: holder.pid,
              name: details.name,
              exe: details.exe,
              evidence: streaming ? 'streaming' : 'open',
            }
            // A broker keeps devices open while idle: only a mapping (streaming) counts.
            if (!broker) add(device, user)
            else if (streaming) brokerMapped.push({ device, user })
          }
        }
        if (brokerMapped.length > 0) {
          const { streams, warning } = await pipewireStreams()
          if (warning) warnings.push(warning)
          for (const { device, user } of brokerMapped) {
            const clients = (streams ?? [])
              .filter((s) => s.device === null || s.device === device)
              .flatMap((s) => s.clients)
            if (clients.length > 0) clients.forEach((c) => add(device, c))
            else add(device, user)
          }
        }
        const cameras: Camera[] = groups.map((g) => {
          const users: CameraUser[] = []
          for (const dev of g.devices) {
            for (const u of usersOf.get(dev.real) ?? []) {
              const existing = users.find((x) => x.pid === u.pid && x.name === u.name)
              if (!existing) users.push({ ...u })
              else if (u.evidence === 'streaming') existing.evidence = 'streaming'
            }
          }
          return {
            id: g.id,
            name: g.name,
            devices: g.devices.map((d) => d.path),
            inUse: users.length > 0,
            users,
          }
        })
        session?.after(devices, holderStates)
        if (session?.fallback)
          warnings.push(
            `Could not watch the camera devices (${session.fallback}); checking on a timer instead.`,
          )
        return {
          state: cameras.some((c) => c.inUse) ? 'on' : 'off',
          checkedAt,
          cameras,
          warnings,
          detector: 'linux-proc',
          mode: modeNow(),
        }
      } catch (err) {
        return {
          state: 'unknown',
          checkedAt,
          cameras: [],
          warnings: [],
          detector: 'linux-proc',
          mode: modeNow(),
          error: `Could not read the process table: ${errorMessage(err)}`,
        }
      }
    },
  }
}
