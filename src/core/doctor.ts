// `camguard doctor`: what this machine lets CamGuard see, and how. Runs the detector the way a
// monitor does (with its watch), times a few checks, and gathers the detector's own account.
import { readFileSync } from 'node:fs'
import { arch, release, version as osVersion } from 'node:os'
import type { CameraState, DetectionMode } from '../shared/types.js'
import type { CameraDetector } from './ports.js'
import { errorMessage } from './files.js'

export interface DoctorReport {
  /** True when the camera's state can be told here (the check did not come back unknown). */
  ok: boolean
  camguard: string
  system: { platform: NodeJS.Platform; name: string; release: string; arch: string; node: string }
  detector: string
  native: { ok: boolean; detail: string }
  mode: DetectionMode
  modeWhy: string
  state: CameraState
  error?: string
  cameras: { id: string; name: string; devices: string[]; inUse: boolean; virtual?: boolean }[]
  rights: string[]
  /** One check, measured over several: wall time (median) and this process's CPU time (mean). */
  checkCost: { checks: number; wallMs: number; cpuMs: number }
  warnings: string[]
}

export interface DoctorDeps {
  detector: CameraDetector
  platform: NodeJS.Platform
  version: string
  /** How many checks to time; default 5. */
  checks?: number
  /** The system's name and version; default: read from the OS without starting a program. */
  systemName?: () => string
}

/** The OS's own name for itself: /etc/os-release, SystemVersion.plist, or Windows' edition. */
export function systemName(platform: NodeJS.Platform): string {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8')
    } catch {
      return ''
    }
  }
  if (platform === 'linux') {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(read('/etc/os-release'))?.[1]
    return pretty || 'Linux'
  }
  if (platform === 'darwin') {
    const plist = read('/System/Library/CoreServices/SystemVersion.plist')
    const v = /<key>ProductVersion<\/key>\s*<string>([^<]*)<\/string>/.exec(plist)?.[1]
    return v ? `macOS ${v}` : 'macOS'
  }
  return osVersion() || platform
}

const round = (x: number) => Math.round(x * 10) / 10

export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const { detector } = deps
  const checks = deps.checks ?? 5
  const warnings: string[] = []
  let watch: Awaited<ReturnType<NonNullable<CameraDetector['watch']>>> | null = null
  try {
    watch = (await detector.watch?.(() => undefined)) ?? null
  } catch (err) {
    warnings.push(`The detector could not start watching: ${errorMessage(err)}`)
  }
  try {
    const first = await detector.snapshot()
    const wall: number[] = []
    const cpuStart = process.cpuUsage()
    for (let i = 0; i < checks; i++) {
      const t = performance.now()
      await detector.snapshot()
      wall.push(performance.now() - t)
    }
    const cpu = process.cpuUsage(cpuStart)
    const diagnosis = await detector.diagnose?.()
    wall.sort((a, b) => a - b)
    for (const w of [...first.warnings, ...(diagnosis?.warnings ?? [])])
      if (!warnings.includes(w)) warnings.push(w)
    return {
      ok: first.state !== 'unknown',
      camguard: deps.version,
      system: {
        platform: deps.platform,
        name: (deps.systemName ?? (() => systemName(deps.platform)))(),
        release: release(),
        arch: arch(),
        node: process.version,
      },
      detector: detector.name,
      native: diagnosis?.native ?? { ok: true, detail: 'no native calls' },
      mode: diagnosis?.mode ?? watch?.mode ?? first.mode ?? 'poll',
      modeWhy: diagnosis?.modeWhy ?? (watch ? 'the detector reports changes' : 'checked on a timer'),
      state: first.state,
      ...(first.error ? { error: first.error } : {}),
      cameras: first.cameras.map((c) => ({
        id: c.id,
        name: c.name,
        devices: c.devices,
        inUse: c.inUse,
        ...(c.virtual ? { virtual: true } : {}),
      })),
      rights: diagnosis?.rights ?? [],
      checkCost: {
        checks,
        wallMs: round(wall[Math.floor(wall.length / 2)] ?? 0),
        cpuMs: round((cpu.user + cpu.system) / 1000 / Math.max(1, checks)),
      },
      warnings,
    }
  } finally {
    await watch?.stop()
    await detector.close()
  }
}
