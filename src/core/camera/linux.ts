import type { Camera, CameraSnapshot, CameraUser, DetectionMode } from '../../shared/types.js'
import type {
  CameraDetector,
  Clock,
  DetectionModeReason,
  DetectorDiagnosis,
  DetectorWatch,
  Runner,
} from '../ports.js'
import { systemClock } from '../ports.js'
import { errorMessage } from '../files.js'
import { koffiVersion } from '../native/koffi.js'
import { expandDevicePatterns } from './devices.js'
import { createInotifyWatcher, type FileWatcherFactory } from './inotify.js'
import { LinuxWatchSession, type HolderState } from './linux-watch.js'
import { MEDIA_BROKERS, parsePwDump, type PipeWireCameraStream } from './pipewire.js'
import { ProcScanner, deviceHolders } from './proc.js'
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
  /** How device files are watched; null for not at all. Default: inotify in-process. */
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
  let session: LinuxWatchSession | null = null
  let plannedMode: DetectionMode | null = null

  /** The mode a monitor gets here: what `camguard status` reports when nothing is watching. */
  function modeNow(): DetectionMode {
    if (session) return session.mode
    plannedMode ??= watcher && (watcher.available?.() ?? true) ? 'event' : 'poll'
    return plannedMode
  }

  function modeReason(): DetectionModeReason {
    if (session) return session.reason
    if (options.detection === 'poll')
      return { mode: 'poll', why: 'polling was asked for (CAMGUARD_DETECTION=poll)' }
    if (!watcher) return { mode: 'poll', why: 'no file watcher was given' }
    if (watcher.available?.() === false)
      return { mode: 'poll', why: watcher.unavailableReason?.() ?? 'inotify is not available' }
    return { mode: 'event', why: 'inotify reports every open and close of the device nodes' }
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
      const s = new LinuxWatchSession({
        factory: watcher,
        clock,
        devicePatterns: options.devicePatterns,
        procRoot,
        onChange,
        holderPollMs,
        debounceMs,
      })
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
    async diagnose(): Promise<DetectorDiagnosis> {
      const reason = modeReason()
      const missing = watcher?.unavailableReason?.() ?? null
      return {
        native: missing
          ? { ok: false, detail: missing }
          : { ok: true, detail: `inotify through libc (koffi ${koffiVersion()})` },
        mode: reason.mode,
        modeWhy: reason.why,
        rights: [
          process.getuid?.() === 0
            ? 'Running as root: the open files of every process can be read.'
            : 'Not running as root: apps run by other users cannot be seen (their open files are private).',
        ],
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
        const quiet = session?.takeQuiet() ?? false
        const scan = deviceHolders(scanner, new Set(devices.map((d) => d.real)), procRoot, { quiet })
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
        for (const { details, mapped, ...holder } of scan.holders) {
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
