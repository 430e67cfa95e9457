import type { Camera, CameraSnapshot, CameraUser } from '../../shared/types.js'
import type { CameraDetector, Clock, Runner } from '../ports.js'
import { systemClock } from '../ports.js'
import { errorMessage } from '../files.js'
import { expandDevicePatterns } from './devices.js'
import { MEDIA_BROKERS, parsePwDump, type PipeWireCameraStream } from './pipewire.js'
import { mappedPaths, processDetails, readMaps, scanOpenFiles } from './proc.js'
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
}

export function createLinuxDetector(options: LinuxDetectorOptions): CameraDetector {
  const procRoot = options.procRoot ?? '/proc'
  const sysRoot = options.sysRoot ?? '/sys'
  const clock = options.clock ?? systemClock
  const pwDump = options.pwDump === undefined ? 'pw-dump' : options.pwDump

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
    async close() {},
    async snapshot(): Promise<CameraSnapshot> {
      const checkedAt = new Date(clock.now()).toISOString()
      const patterns = options.devicePatterns()
      try {
        const devices = expandDevicePatterns(patterns)
        const groups = groupCameras(devices, sysRoot)
        const warnings: string[] = []
        if (devices.length === 0) warnings.push(`No camera device found (looked for ${patterns.join(', ')}).`)
        const scan = scanOpenFiles(new Set(devices.map((d) => d.real)), procRoot)
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
        for (const holder of scan.holders) {
          const details = processDetails(holder.pid, procRoot)
          if (!details) continue // ended while we looked
          const maps = readMaps(holder.pid, procRoot)
          const mapped = maps ? mappedPaths(maps, holder.devices) : new Set<string>()
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
        return {
          state: cameras.some((c) => c.inUse) ? 'on' : 'off',
          checkedAt,
          cameras,
          warnings,
          detector: 'linux-proc',
        }
      } catch (err) {
        return {
          state: 'unknown',
          checkedAt,
          cameras: [],
          warnings: [],
          detector: 'linux-proc',
          error: `Could not read the process table: ${errorMessage(err)}`,
        }
      }
    },
  }
}
