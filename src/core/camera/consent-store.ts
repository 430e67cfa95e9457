// Windows' ConsentStore, for any capability ('webcam' for the camera, 'microphone' for the
// microphone): which apps Windows says use the device now, checked against the running processes.
// Windows writes LastUsedTimeStart / LastUsedTimeStop per app; Stop 0 means "in use", but a crash
// or a power cut leaves Stop at 0 for ever. So an entry counts only while a matching process runs
// that was already running when the entry's use began; without a process list nothing is known.
import type { CameraUser } from '../../shared/types.js'
import { errorMessage } from '../files.js'
import {
  filetimeToMs,
  type Capability,
  type ConsentKeyRecord,
  type Hive,
  type WinNative,
  type WinProcess,
} from '../native/win32.js'

export interface ConsentEntry {
  hive: Hive
  /** The key below ConsentStore\<capability>, as the registry names it. */
  key: string
  /** Readable name: "Windows Camera" for a packaged app, "Zoom" for C:\...\Zoom.exe. */
  app: string
  /** Executable path of a desktop app; null for packaged apps (the store names only the package). */
  path: string | null
  packaged: boolean
  /** e.g. Microsoft.WindowsCamera_8wekyb3d8bbwe; null for desktop apps. */
  packageFamilyName: string | null
  lastUsedStartMs: number | null
  lastUsedStopMs: number | null
  /** Start written and Stop still zero: in use, or left behind by a crash. */
  inUse: boolean
  /** Windows itself (svchost.exe), e.g. Windows Hello's face sign-in. */
  system: boolean
}

export const WINDOWS_SERVICE_APP = 'Windows (for example Windows Hello)'

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

const fileName = (path: string) => (path.split(/[\\/]/).pop() ?? path).toLowerCase()

/** The store's keys of one hive as entries; keys that name no app are skipped. */
export function consentEntries(hive: Hive, records: readonly ConsentKeyRecord[]): ConsentEntry[] {
  const entries: ConsentEntry[] = []
  for (const r of records) {
    const segments = r.key.split('\\').filter((s) => s !== '')
    const start = filetimeToMs(r.lastUsedTimeStart)
    const base = {
      hive,
      key: r.key,
      lastUsedStartMs: start,
      lastUsedStopMs: filetimeToMs(r.lastUsedTimeStop),
      inUse: start !== null && (r.lastUsedTimeStop === null || r.lastUsedTimeStop === 0n),
    }
    if (segments[0]?.toLowerCase() === 'nonpackaged') {
      if (segments.length !== 2) continue
      // Key names cannot hold '\', so Windows writes the path with '#'.
      const path = segments[1]!.replace(/#/g, '\\')
      const system = fileName(path) === 'svchost.exe'
      entries.push({
        ...base,
        app: system ? WINDOWS_SERVICE_APP : exeDisplayName(path),
        path,
        packaged: false,
        packageFamilyName: null,
        system,
      })
    } else if (segments.length === 1) {
      entries.push({
        ...base,
        app: packageDisplayName(segments[0]!),
        path: null,
        packaged: true,
        packageFamilyName: segments[0]!,
        system: false,
      })
    }
  }
  return entries
}

// Paths compare without case, separators or the drive/volume prefix, which Windows spells either
// way. Lower-casing is Unicode-aware, so C:\Users\JOSÉ and c:\users\josé are one path.
function comparablePath(path: string): string {
  return path
    .normalize('NFC')
    .replace(/\//g, '\\')
    .toLowerCase()
    .replace(/^\\\\\?\\/, '')
    .replace(/^[a-z]:/, '')
    .replace(/^\\device\\harddiskvolume\d+/, '')
}

/** The processes that are this entry's app. Empty means the app is not running (or cannot be seen). */
export function matchProcesses(entry: ConsentEntry, processes: readonly WinProcess[]): WinProcess[] {
  if (!entry.packaged && entry.path) {
    const wanted = comparablePath(entry.path)
    const exact = processes.filter((p) => p.path && comparablePath(p.path) === wanted)
    if (exact.length > 0) return exact
    // Other users' and elevated processes hide their path from us; fall back to the file name there.
    const file = fileName(entry.path)
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
    return processes.filter((p) => p.path !== null && inPackage(p.path))
  }
  return []
}

// Windows writes the start a moment after the process began using the device; clocks agree, but
// allow for the registry's and the process table's rounding.
const START_SLACK_MS = 1000

/** The main process among several of one app: the one whose parent is not the same app. */
function mainProcess(matches: readonly WinProcess[]): WinProcess | null {
  const pids = new Set(matches.map((p) => p.pid))
  const roots = matches.filter((p) => !pids.has(p.parentPid))
  return [...(roots.length > 0 ? roots : matches)].sort((a, b) => a.pid - b.pid)[0] ?? null
}

export interface ConsentVerdict {
  users: CameraUser[]
  warnings: string[]
  /** Set when the truth cannot be known (no process list): the state is unknown, never off. */
  unknown?: string
}

const DEVICE_WORD: Record<Capability, string> = { webcam: 'camera', microphone: 'microphone' }
const time = (ms: number | null) => (ms === null ? 'an unknown time' : new Date(ms).toISOString())

/**
 * Which of the entries Windows marks in use really are: `processes` is the running process list,
 * or the error that kept it from being read.
 */
export function judgeConsent(
  entries: readonly ConsentEntry[],
  processes: readonly WinProcess[] | Error,
  capability: Capability,
): ConsentVerdict {
  const device = DEVICE_WORD[capability]
  const active = entries.filter((e) => e.inUse)
  if (active.length === 0) return { users: [], warnings: [] }
  const apps = [...new Set(active.map((e) => e.app))].join(', ')
  if (processes instanceof Error || processes.length === 0) {
    const why = processes instanceof Error ? errorMessage(processes) : 'the list came back empty'
    return {
      users: [],
      warnings: [],
      unknown: `Windows reports ${apps} using the ${device}, but the running programs could not be listed (${why}), so CamGuard cannot tell whether that record is current`,
    }
  }
  const users: CameraUser[] = []
  const warnings: string[] = []
  for (const entry of active) {
    const matches = matchProcesses(entry, processes)
    const startedBefore = matches.filter(
      (p) =>
        p.startMs === null ||
        entry.lastUsedStartMs === null ||
        p.startMs <= entry.lastUsedStartMs + START_SLACK_MS,
    )
    if (matches.length === 0) {
      warnings.push(
        `Ignored Windows' record that ${entry.app} uses the ${device}: it is not running (Windows leaves such records behind after a crash or power loss).`,
      )
      continue
    }
    if (startedBefore.length === 0) {
      warnings.push(
        `Ignored Windows' record that ${entry.app} uses the ${device} since ${time(entry.lastUsedStartMs)}: it was started again after that, so the record is left over from an earlier run.`,
      )
      continue
    }
    // Windows' own service host runs many times over; which one holds the device cannot be told.
    const main = entry.system ? null : mainProcess(startedBefore)
    addUser(users, {
      pid: main?.pid ?? null,
      name: entry.app,
      exe: entry.path ?? main?.path ?? null,
      evidence: 'os-report',
    })
  }
  return { users, warnings }
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

export interface ConsentRead {
  entries: ConsentEntry[]
  /** Set when the user's own store could not be read: nothing is known then. */
  error?: string
  warnings: string[]
}

/** Reads the user's and the machine's store of one capability. Never throws. */
export function readConsent(native: WinNative, capability: Capability): ConsentRead {
  const device = DEVICE_WORD[capability]
  const read = (hive: Hive) => {
    try {
      return { records: native.readConsentStore(hive, capability) }
    } catch (err) {
      return { error: errorMessage(err) }
    }
  }
  const hkcu = read('HKCU')
  const hklm = read('HKLM')
  if ('error' in hkcu)
    return {
      entries: [],
      warnings: [],
      error: `cannot read Windows' ${device} privacy record: ${hkcu.error}`,
    }
  if (hkcu.records === null) {
    return {
      entries: [],
      warnings: [],
      error: `Windows has no ${device} privacy record for this user; it exists on Windows 10 version 1903 and later`,
    }
  }
  const warnings: string[] = []
  // The machine-wide store is a supplement: without it we still know this user's apps.
  if ('error' in hklm) warnings.push(`Could not read the machine-wide ${device} record (${hklm.error}).`)
  return {
    entries: [
      ...consentEntries('HKCU', hkcu.records),
      ...('records' in hklm && hklm.records ? consentEntries('HKLM', hklm.records) : []),
    ],
    warnings,
  }
}
