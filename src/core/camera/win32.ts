// Windows: the privacy settings' "recent activity" store, read with reg.exe. Windows writes a
// LastUsedTimeStart / LastUsedTimeStop pair per app that asks for the camera through the OS, which
// is the only record that names the app without admin rights or a driver.
import { systemClock } from '../ports.js'
import type { CameraDetector, Clock, Runner } from '../ports.js'
import type { Camera, CameraSnapshot, CameraUser } from '../../shared/types.js'
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  describeRunFailure,
  errorMessage,
  firstLine,
  unknownSnapshot,
  withTimeout,
} from './os-command.js'

export const WIN32_DETECTOR = 'win32-consent'
export const WIN32_CAMERA_ID = 'win32-webcam'

const STORE_SUFFIX = 'Microsoft\\Windows\\CurrentVersion\\CapabilityAccessManager\\ConsentStore\\webcam'
export const CONSENT_STORE_KEYS = {
  HKCU: `HKCU\\Software\\${STORE_SUFFIX}`,
  HKLM: `HKLM\\SOFTWARE\\${STORE_SUFFIX}`,
} as const

export type Hive = 'HKCU' | 'HKLM'

export interface ConsentEntry {
  hive: Hive
  /** The registry key as reg.exe printed it. */
  key: string
  /** Readable name: "Windows Camera" for a packaged app, "Zoom" for C:\...\Zoom.exe. */
  app: string
  /** Executable path of a desktop app; null for packaged apps (the store has only the package). */
  path: string | null
  packaged: boolean
  /** e.g. Microsoft.WindowsCamera_8wekyb3d8bbwe; null for desktop apps. */
  packageFamilyName: string | null
  lastUsedStart: Date | null
  lastUsedStop: Date | null
  /** Start written and Stop still zero. Stale after a crash: check the app runs before trusting it. */
  inUse: boolean
}

export interface ProcessInfo {
  pid: number
  name: string
  path: string | null
  command?: string
  parentPid?: number
}

export type ListProcesses = () => Promise<ProcessInfo[]>

// FILETIME counts 100 ns ticks since 1601-01-01 UTC.
const FILETIME_UNIX_EPOCH_MS = 11_644_473_600_000n
const MAX_DATE_MS = 8_640_000_000_000_000n

function parseQword(data: string): bigint | null {
  const text = data.trim()
  try {
    if (/^0x[0-9a-f]+$/i.test(text)) return BigInt(text)
    if (/^\d+$/.test(text)) return BigInt(text)
  } catch {
    return null
  }
  return null
}

export function filetimeToDate(ticks: bigint | null): Date | null {
  if (ticks === null || ticks <= 0n) return null
  const ms = ticks / 10_000n - FILETIME_UNIX_EPOCH_MS
  if (ms < -MAX_DATE_MS || ms > MAX_DATE_MS) return null
  const date = new Date(Number(ms))
  return Number.isNaN(date.getTime()) ? null : date
}

// Names a package family would give poorly when split mechanically.
const KNOWN_PACKAGES: Record<string, string> = {
  'microsoft.windowscamera': 'Windows Camera',
  msteams: 'Microsoft Teams',
  microsoftteams: 'Microsoft Teams',
  'microsoft.skypeapp': 'Skype',
  '5319275a.whatsappdesktop': 'WhatsApp',
  'microsoft.yourphone': 'Phone Link',
  'microsoft.windowsstudioeffects': 'Windows Studio Effects',
}

/** Microsoft.WindowsCamera_8wekyb3d8bbwe -> "Windows Camera". */
export function packageDisplayName(packageFamilyName: string): string {
  const name = packageFamilyName.split('_')[0] ?? packageFamilyName
  const known = KNOWN_PACKAGES[name.toLowerCase()]
  if (known) return known
  const parts = name.split('.').filter((p) => p !== '')
  // The first dot-separated part is the publisher (Microsoft, 5319275A, SpotifyAB) when there are more.
  const meaningful = parts.length > 1 ? parts.slice(1) : parts
  const words = meaningful
    .join(' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
  return words || packageFamilyName
}

/** C:\Program Files\Zoom\bin\Zoom.exe -> "Zoom". */
export function exeDisplayName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path
  return base.replace(/\.exe$/i, '') || path
}

const KEY_LINE = /^(HKEY_CURRENT_USER|HKEY_LOCAL_MACHINE|HKCU|HKLM)\\(.*)$/i
const VALUE_LINE = /^\s+(.+?)\s+(REG_[A-Z_]+)(?:\s+(.*?))?\s*$/i
const STORE_MARKER = '\\consentstore\\webcam'

function hiveOf(root: string): Hive {
  const r = root.toUpperCase()
  return r === 'HKEY_LOCAL_MACHINE' || r === 'HKLM' ? 'HKLM' : 'HKCU'
}

/** The part of a key below ...\ConsentStore\webcam, '' for the store itself, null for other keys. */
function storeRelative(keyPath: string): string | null {
  const lower = keyPath.toLowerCase()
  const at = lower.indexOf(STORE_MARKER)
  if (at < 0) return null
  const rest = keyPath.slice(at + STORE_MARKER.length)
  if (rest === '') return ''
  if (!rest.startsWith('\\')) return null
  return rest.slice(1)
}

interface Draft {
  entry: ConsentEntry
  start: bigint | null
  stop: bigint | null
}

function entryFor(hive: Hive, key: string, relative: string): Draft | null {
  const segments = relative.split('\\').filter((s) => s !== '')
  if (segments.length === 0) return null
  const first = segments[0] as string
  const base = { hive, key, lastUsedStart: null, lastUsedStop: null, inUse: false }
  if (first.toLowerCase() === 'nonpackaged') {
    if (segments.length !== 2) return null
    // reg.exe key names cannot hold '\', so Windows writes the path with '#'.
    const path = (segments[1] as string).replace(/#/g, '\\')
    return {
      entry: { ...base, app: exeDisplayName(path), path, packaged: false, packageFamilyName: null },
      start: null,
      stop: null,
    }
  }
  if (segments.length !== 1) return null
  return {
    entry: { ...base, app: packageDisplayName(first), path: null, packaged: true, packageFamilyName: first },
    start: null,
    stop: null,
  }
}

function finish(draft: Draft): ConsentEntry {
  const { entry, start, stop } = draft
  return {
    ...entry,
    lastUsedStart: filetimeToDate(start),
    lastUsedStop: filetimeToDate(stop),
    inUse: start !== null && start > 0n && (stop === null || stop === 0n),
  }
}

/** Reads `reg query <ConsentStore\webcam> /s` output. Never throws: unreadable lines are skipped. */
export function parseConsentStore(output: string): ConsentEntry[] {
  const entries: ConsentEntry[] = []
  if (typeof output !== 'string') return entries
  let current: Draft | null = null
  const flush = () => {
    if (current) entries.push(finish(current))
    current = null
  }
  for (const rawLine of output.split(/\r\n|\n|\r/)) {
    const line = rawLine.replace(/^\uFEFF/, '')
    const key = KEY_LINE.exec(line.trimEnd())
    if (key) {
      flush()
      const relative = storeRelative(key[2] as string)
      if (relative !== null) current = entryFor(hiveOf(key[1] as string), line.trimEnd(), relative)
      continue
    }
    if (!current) continue
    const value = VALUE_LINE.exec(line)
    if (!value) continue
    const name = (value[1] as string).toLowerCase()
    const draft: Draft = current
    if (name === 'lastusedtimestart') draft.start = parseQword(value[3] ?? '')
    else if (name === 'lastusedtimestop') draft.stop = parseQword(value[3] ?? '')
  }
  flush()
  return entries
}

/** True when the output holds at least one ConsentStore\webcam key line, i.e. it is what we asked for. */
export function looksLikeConsentStore(output: string): boolean {
  return output.split(/\r\n|\n|\r/).some((line) => {
    const key = KEY_LINE.exec(line.trimEnd())
    return key !== null && storeRelative(key[2] as string) !== null
  })
}

// Paths compare without case, separators or the drive/volume prefix, which Windows spells either way.
function comparablePath(path: string): string {
  return path
    .replace(/\//g, '\\')
    .toLowerCase()
    .replace(/^\\\\\?\\/, '')
    .replace(/^[a-z]:/, '')
    .replace(/^\\device\\harddiskvolume\d+/, '')
}

function baseName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).toLowerCase()
}

/** The processes that are this entry's app. Empty means the app is not running (or cannot be seen). */
export function matchProcesses(entry: ConsentEntry, processes: readonly ProcessInfo[]): ProcessInfo[] {
  if (!entry.packaged && entry.path) {
    const wanted = comparablePath(entry.path)
    const exact = processes.filter((p) => p.path && comparablePath(p.path) === wanted)
    if (exact.length > 0) return exact
    // Other users' and elevated processes hide their path from us; fall back to the file name there.
    const file = baseName(entry.path)
    return processes.filter((p) => !p.path && p.name.toLowerCase() === file)
  }
  if (entry.packageFamilyName) {
    const [name, ...rest] = entry.packageFamilyName.toLowerCase().split('_')
    const publisher = rest.pop()
    if (!name || !publisher) return []
    // Packaged apps run from ...\WindowsApps\<Name>_<Version>_<Arch>_<Resource>_<PublisherId>\.
    const inPackage = (path: string) =>
      path
        .toLowerCase()
        .split(/[\\/]/)
        .some((dir) => dir.startsWith(`${name}_`) && dir.endsWith(`_${publisher}`))
    return processes.filter((p) => (p.path && inPackage(p.path)) || (p.command && inPackage(p.command)))
  }
  return []
}

/** The main process among several of one app: the one whose parent is not the same app. */
function mainProcess(matches: readonly ProcessInfo[]): ProcessInfo | null {
  if (matches.length === 0) return null
  const pids = new Set(matches.map((p) => p.pid))
  const roots = matches.filter((p) => p.parentPid === undefined || !pids.has(p.parentPid))
  const pool = roots.length > 0 ? roots : matches
  return [...pool].sort((a, b) => a.pid - b.pid)[0] ?? null
}

export async function defaultListProcesses(): Promise<ProcessInfo[]> {
  // Loaded on first use only: the module is large and only Windows needs it here.
  const si = await import('systeminformation')
  const { list } = await si.processes()
  return list.map((p) => ({
    pid: p.pid,
    name: p.name,
    path: p.path ? p.path : null,
    command: p.command,
    parentPid: p.parentPid,
  }))
}

export interface Win32DetectorDeps {
  runner: Runner
  clock?: Clock
  /** Defaults to systeminformation's process list (PowerShell's Win32_Process on Windows). */
  listProcesses?: ListProcesses
  /** Bound on each reg.exe run; default 5 s. */
  timeoutMs?: number
  /** Bound on listing processes (a PowerShell start on Windows); default 10 s. */
  processTimeoutMs?: number
  /** reg.exe by default. */
  regCommand?: string
}

interface HiveRead {
  hive: Hive
  entries: ConsentEntry[]
  /** Set when this hive could not be read. */
  error?: string
  /** The key does not exist (reg.exe exit 1 with nothing printed). */
  missing?: boolean
}

export function createWin32Detector(deps: Win32DetectorDeps): CameraDetector {
  const clock = deps.clock ?? systemClock
  const timeoutMs = deps.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS
  const processTimeoutMs = deps.processTimeoutMs ?? 10_000
  const listProcesses = deps.listProcesses ?? defaultListProcesses
  const reg = deps.regCommand ?? 'reg.exe'
  let closed = false

  async function readHive(hive: Hive): Promise<HiveRead> {
    const label = `reg query ${hive}`
    let result
    try {
      result = await deps.runner(reg, ['query', CONSENT_STORE_KEYS[hive], '/s'], { timeoutMs })
    } catch (err) {
      // The Runner contract says it never throws; a broken one must still not break the detector.
      return { hive, entries: [], error: `${label} failed: ${errorMessage(err)}` }
    }
    if (!result.spawnError && !result.timedOut && result.code === 1 && result.stdout.trim() === '') {
      return {
        hive,
        entries: [],
        missing: true,
        error: `${label}: ${firstLine(result.stderr) || 'key not found'}`,
      }
    }
    const failure = describeRunFailure(label, result, timeoutMs)
    if (failure) return { hive, entries: [], error: failure }
    if (!looksLikeConsentStore(result.stdout)) {
      return {
        hive,
        entries: [],
        error: `${label} printed something CamGuard cannot read: ${firstLine(result.stdout) || '(nothing)'}`,
      }
    }
    return { hive, entries: parseConsentStore(result.stdout) }
  }

  async function snapshot(): Promise<CameraSnapshot> {
    if (closed) return unknownSnapshot(WIN32_DETECTOR, clock, 'the Windows camera detector was closed')
    const [hkcu, hklm] = await Promise.all([readHive('HKCU'), readHive('HKLM')])
    const warnings: string[] = []
    if (hkcu.error) {
      const error = hkcu.missing
        ? `Windows has no camera privacy record for this user (${hkcu.error}); it exists on Windows 10 version 1903 and later`
        : hkcu.error
      return unknownSnapshot(WIN32_DETECTOR, clock, error)
    }
    // The machine-wide store is a supplement: without it we still know this user's apps.
    if (hklm.error && !hklm.missing)
      warnings.push(`Could not read the machine-wide camera record (${hklm.error}).`)

    const active = [...hkcu.entries, ...hklm.entries].filter((e) => e.inUse)
    const users: CameraUser[] = []
    if (active.length > 0) {
      let processes: ProcessInfo[] | null = null
      let listError = ''
      processes = await withTimeout<ProcessInfo[] | null>(
        clock,
        () => listProcesses(),
        processTimeoutMs,
        () => {
          listError = `no answer within ${processTimeoutMs / 1000} s`
          return null
        },
        (err) => {
          listError = errorMessage(err)
          return null
        },
      )
      if (processes !== null && !Array.isArray(processes)) {
        listError = 'the process list was not a list'
        processes = null
      }
      if (processes === null) {
        // Without processes we cannot tell stale records apart; counting them beats a silent 'off'.
        warnings.push(
          `Could not list running processes (${listError}); apps Windows reports are counted even if they may have crashed.`,
        )
      }
      for (const entry of active) {
        const matches = processes ? matchProcesses(entry, processes) : []
        const main = mainProcess(matches)
        if (processes && !main && !entry.packaged) {
          warnings.push(
            `Ignored Windows' record that ${entry.app} uses the camera: ${entry.app} is not running (Windows leaves such records behind after a crash or power loss).`,
          )
          continue
        }
        if (processes && !main && entry.packaged) {
          warnings.push(
            `Windows reports ${entry.app} using the camera, but no process of it was found; if it is not open, the record is stale.`,
          )
        }
        addUser(users, {
          pid: main?.pid ?? null,
          name: entry.app,
          exe: entry.path ?? main?.path ?? null,
          evidence: 'os-report',
        })
      }
    }

    const inUse = users.length > 0
    const camera: Camera = { id: WIN32_CAMERA_ID, name: 'Camera', devices: [], inUse, users }
    return {
      state: inUse ? 'on' : 'off',
      checkedAt: new Date(clock.now()).toISOString(),
      cameras: [camera],
      warnings,
      detector: WIN32_DETECTOR,
      mode: 'poll',
    }
  }

  return {
    name: WIN32_DETECTOR,
    async snapshot() {
      try {
        return await snapshot()
      } catch (err) {
        return unknownSnapshot(WIN32_DETECTOR, clock, `the Windows camera check failed: ${errorMessage(err)}`)
      }
    },
    async close() {
      // Every reg.exe run is bounded by the Runner's timeout; nothing long-running to stop.
      closed = true
    },
  }
}

// The same app can appear in both hives; report it once.
function addUser(users: CameraUser[], user: CameraUser): void {
  const same = users.find(
    (u) => u.name === user.name && (u.exe ?? '').toLowerCase() === (user.exe ?? '').toLowerCase(),
  )
  if (same) {
    if (same.pid === null) same.pid = user.pid
    return
  }
  users.push(user)
}
