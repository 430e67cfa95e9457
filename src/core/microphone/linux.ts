// The microphone on Linux. Two sources, combined:
// - processes holding ALSA capture nodes (/dev/snd/pcmC*D*c), found by the camera's /proc scan:
//   open, or open and mapped (recording);
// - with a sound server holding those nodes, the server's capture streams: PipeWire nodes of class
//   Stream/Input/Audio that run and are linked to a source, named by the pid the server saw on the
//   client's socket. A server that holds a node while nobody records is not the microphone on.
import { basename, dirname } from 'node:path'
import type { Camera, CameraSnapshot, CameraUser, DetectionMode } from '../../shared/types.js'
import type { CameraDetector, Clock, DetectorWatch, Runner } from '../ports.js'
import { systemClock } from '../ports.js'
import { errorMessage } from '../files.js'
import { expandDevicePatterns } from '../camera/devices.js'
import { IN, createInotifyWatcher, type FileWatch, type FileWatcherFactory } from '../camera/inotify.js'
import { LinuxWatchSession, type HolderState } from '../camera/linux-watch.js'
import { ProcScanner, deviceHolders, processDetails } from '../camera/proc.js'
import { spawnLines as realSpawnLines, type SpawnLines } from '../camera/spawn-lines.js'
import { groupCaptureNodes, type MicGroup } from './alsa.js'
import type { CaptureStream, PipeWireGraph } from './pipewire-graph.js'
import { pipewireSocket } from './pipewire-server.js'
import { PipeWireWatch, type PipeWireRead } from './pipewire-watch.js'

export const MIC_DETECTOR = 'linux-mic'

export interface LinuxMicOptions {
  /** Read on every snapshot, so a settings change applies without a restart. */
  devicePatterns: () => readonly string[]
  procRoot?: string
  sysRoot?: string
  devRoot?: string
  /** Where the PipeWire socket is looked for (XDG_RUNTIME_DIR, PIPEWIRE_RUNTIME_DIR, PIPEWIRE_REMOTE). */
  env?: NodeJS.ProcessEnv
  runner: Runner
  spawnLines?: SpawnLines
  /** pw-dump to ask PipeWire; null never to ask. */
  pwDump?: string | null
  clock?: Clock
  /** 'poll' never watches (CAMGUARD_DETECTION=poll); 'auto' (default) uses inotify where it can. */
  detection?: 'auto' | 'poll'
  /** How capture nodes and the PipeWire socket's folder are watched; null for not at all. */
  watcher?: FileWatcherFactory | null
  /** While watching, a full check this often catches anything the events missed. Default 30 s. */
  reconcileMs?: number
  /** While watching, how often known holders' fds and maps are re-read. Default 500 ms. */
  holderPollMs?: number
  /** Reuse what a process had open while it has not run since the last look. Default true. */
  cache?: boolean
}

// The PipeWire socket appearing or going: a server starting or stopping.
const SOCKET_DIR_MASK = IN.CREATE | IN.DELETE | IN.MOVED_TO | IN.MOVED_FROM | IN.ONLYDIR

/** Sound servers keep capture nodes open while idle; PipeWire says who records through it. */
const PIPEWIRE_SERVERS = new Set(['pipewire', 'wireplumber', 'pipewire-media-session', 'pipewire-pulse'])
const SOUND_SERVERS = new Set([...PIPEWIRE_SERVERS, 'pulseaudio'])

/** Which server a holder is, by the executable the kernel reports (a process can rename itself). */
function soundServer(details: { name: string; exe: string | null }): string | null {
  const name = details.exe ? basename(details.exe) : details.name
  return SOUND_SERVERS.has(name) ? name : null
}

interface Holding {
  device: string
  user: CameraUser
  server: string | null
}

export function createLinuxMicDetector(options: LinuxMicOptions): CameraDetector {
  const procRoot = options.procRoot ?? '/proc'
  const sysRoot = options.sysRoot ?? '/sys'
  const clock = options.clock ?? systemClock
  const scanner = new ProcScanner(procRoot, { cache: options.cache !== false })
  const reconcileMs = options.reconcileMs ?? 30_000
  const watcher =
    options.detection === 'poll'
      ? null
      : options.watcher === undefined
        ? createInotifyWatcher()
        : options.watcher
  const socket = pipewireSocket(options.env ?? process.env)
  let onChange: (() => void) | null = null
  let watching = false
  let session: LinuxWatchSession | null = null
  let socketWatch: FileWatch | null = null
  const pipewire =
    options.pwDump === null
      ? null
      : new PipeWireWatch({
          socket,
          program: options.pwDump ?? 'pw-dump',
          runner: options.runner,
          spawnLines: options.spawnLines ?? realSpawnLines,
          clock,
          onChange: () => onChange?.(),
        })

  /** Who holds the capture nodes, by the camera's rules: open, or open and mapped (streaming). */
  function holdings(devices: ReadonlySet<string>) {
    const scan = deviceHolders(scanner, devices, procRoot)
    const out: Holding[] = []
    const states: HolderState[] = []
    for (const h of scan.holders) {
      states.push({ pid: h.pid, fds: h.fds, mapped: h.mapped })
      const server = soundServer(h.details)
      for (const device of h.devices) {
        const evidence = h.mapped.has(device) ? 'streaming' : 'open'
        out.push({ device, server, user: { pid: h.pid, name: h.details.name, exe: h.details.exe, evidence } })
      }
    }
    return { holdings: out, states, unreadable: scan.unreadable }
  }

  /** Event-driven while the capture nodes and the socket's folder are watched. */
  function modeNow(): DetectionMode {
    if (session) return session.mode === 'event' && (socketWatch || !socket) ? 'event' : 'poll'
    return watcher && (watcher.available?.() ?? true) ? 'event' : 'poll'
  }

  async function watchSocketFolder(change: () => void): Promise<void> {
    if (!watcher || !socket || !pipewire) return
    try {
      const w = await watcher([dirname(socket)], SOCKET_DIR_MASK, {
        onEvent: (path) => {
          if (path === socket || path === '') change()
        },
        onExit: () => {
          if (socketWatch === w) socketWatch = null // the reconciliation check still finds a server
        },
      })
      if (watching) socketWatch = w
      else await w.stop()
    } catch {
      socketWatch = null // no runtime folder yet, or no inotify: the reconciliation check
    }
  }

  /**
   * The app behind a PipeWire capture stream: the process with the pid the server saw. When that
   * is a sound server itself (pipewire-pulse passes on the streams of PulseAudio apps), the app
   * behind it is known only by its own word: kept as `claimed`, never taken for its identity.
   */
  function streamUser(s: CaptureStream): CameraUser {
    const details = s.pid === null ? null : processDetails(s.pid, procRoot)
    const user: CameraUser = {
      pid: s.pid,
      name: details?.name ?? s.declaredName ?? 'unknown app',
      exe: details?.exe ?? null,
      evidence: 'pipewire',
    }
    if (details && soundServer(details) && s.declaredName)
      user.claimed = { name: s.declaredName, pid: s.declaredPid }
    return user
  }

  function build(groups: MicGroup[], held: Holding[], graph: PipeWireGraph | null): Camera[] {
    const byDevice = new Map<string, CameraUser[]>()
    const add = (device: string, user: CameraUser) => {
      const list = byDevice.get(device) ?? []
      const same = list.find((u) => u.pid === user.pid && u.name === user.name)
      if (!same) list.push({ ...user })
      else if (user.evidence === 'streaming') same.evidence = 'streaming'
      byDevice.set(device, list)
    }
    for (const h of held) {
      if (!h.server) add(h.device, h.user)
      // Without PipeWire's word (or for PulseAudio) a server recording can only be named itself.
      else if (h.user.evidence === 'streaming' && (!graph || !PIPEWIRE_SERVERS.has(h.server)))
        add(h.device, h.user)
    }
    const mics: Camera[] = groups.map((g) => ({
      id: g.id,
      name: g.name,
      devices: g.devices.map((d) => d.path),
      inUse: false,
      users: g.devices.flatMap((d) => byDevice.get(d.real) ?? []),
    }))
    if (graph) {
      const streams = graph.captureStreams()
      for (const source of graph.sources()) {
        const card = source.alsaCard === null ? -1 : groups.findIndex((g) => g.card === source.alsaCard)
        let mic = card >= 0 ? mics[card] : undefined
        if (!mic) {
          mic = {
            id: `pipewire:${source.name}`,
            name: source.description ?? source.name,
            devices: [],
            inUse: false,
            users: [],
          }
          mics.push(mic)
        }
        for (const s of streams.filter((x) => x.sourceIds.includes(source.nodeId))) {
          const user = streamUser(s)
          const same = (u: CameraUser) =>
            u.pid === user.pid && u.name === user.name && u.claimed?.pid === user.claimed?.pid
          if (!mic.users.some(same)) mic.users.push(user)
        }
      }
    }
    for (const m of mics) m.inUse = m.users.length > 0
    return mics
  }

  async function stopWatching(): Promise<void> {
    watching = false
    onChange = null
    const s = session
    const w = socketWatch
    session = null
    socketWatch = null
    pipewire?.release()
    await Promise.all([s?.stop(), w?.stop()])
  }

  async function pipewireNow(): Promise<PipeWireRead> {
    if (!pipewire) return { kind: 'absent' }
    try {
      return await pipewire.read(watching)
    } catch (err) {
      return { kind: 'error', error: `PipeWire could not be read (${errorMessage(err)})` }
    }
  }

  return {
    name: MIC_DETECTOR,
    async close() {
      await stopWatching()
      pipewire?.stop()
      scanner.close()
    },
    async watch(change: () => void): Promise<DetectorWatch> {
      await stopWatching()
      onChange = change
      watching = true
      scanner.eager = true // a monitor scans again and again: remember from the first look
      if (watcher) {
        const s = new LinuxWatchSession({
          factory: watcher,
          clock,
          devicePatterns: options.devicePatterns,
          procRoot,
          onChange: change,
          holderPollMs: options.holderPollMs ?? 500,
          debounceMs: 15,
        })
        session = s
        await s.start()
        await watchSocketFolder(change)
      }
      await pipewireNow() // start the PipeWire monitor now, if a server is there
      return {
        get mode() {
          return modeNow()
        },
        intervalMs: () => (modeNow() === 'event' ? reconcileMs : null),
        stop: stopWatching,
      }
    },
    async snapshot(): Promise<CameraSnapshot> {
      const checkedAt = new Date(clock.now()).toISOString()
      const patterns = options.devicePatterns()
      const base = { checkedAt, detector: MIC_DETECTOR, mode: modeNow() }
      let devices, groups, scan
      try {
        devices = expandDevicePatterns(patterns)
        groups = groupCaptureNodes(devices, sysRoot, options.devRoot)
        scan = holdings(new Set(devices.map((d) => d.real)))
      } catch (err) {
        return {
          ...base,
          state: 'unknown',
          cameras: [],
          warnings: [],
          error: `Could not read the process table: ${errorMessage(err)}`,
        }
      }
      const pw = await pipewireNow()
      const warnings: string[] = []
      if (scan.unreadable > 0)
        warnings.push(
          `${scan.unreadable} ${scan.unreadable === 1 ? 'process' : 'processes'} of other users could not be read; an app run by another user would not be seen.`,
        )
      if (pw.kind === 'no-tool') warnings.push(pw.warning)
      session?.after(devices, scan.states)
      if (session?.fallback)
        warnings.push(
          `Could not watch the microphone devices (${session.fallback}); checking on a timer instead.`,
        )
      const mics = build(groups, scan.holdings, pw.kind === 'graph' ? pw.graph : null)
      if (mics.length === 0 && pw.kind !== 'error')
        warnings.push(`No microphone found (looked for ${patterns.join(', ')} and a PipeWire server).`)
      const on = mics.some((m) => m.inUse)
      // Unknown is never off: with the sound server unreadable, "nobody" cannot be said.
      if (!on && pw.kind === 'error')
        return { ...base, state: 'unknown', cameras: mics, warnings, error: pw.error }
      if (pw.kind === 'error') warnings.push(pw.error)
      return { ...base, state: on ? 'on' : 'off', cameras: mics, warnings }
    },
  }
}
