// Trust by identity: the one rule every face (policy, engine, CLI, main, window) uses to tell
// whether an app may use a device. An app is who the operating system says it runs (the executable
// path the kernel reports), never the name it chose for itself: any program can call itself "zoom".
// Pure: no Node, no DOM.
import type { CameraUser, DeviceKind } from './types.js'

export interface TrustEntry {
  /** The executable as the OS reports it; null for an older entry that names an app only (weaker). */
  exe: string | null
  /**
   * macOS, where the system names the app by its bundle identifier but no executable is known:
   * the bundle id it attributes the use to (not a name the process picks at run time).
   */
  bundleId?: string
  /** The name the app goes by, to show and to catch a program that takes it. */
  name: string
  /** The devices it may use without an alert. */
  kinds: DeviceKind[]
}

export type TrustMatch =
  | { status: 'trusted'; entry: TrustEntry }
  /** Calls itself by a trusted entry's name but runs another executable. */
  | { status: 'impersonation'; entry: TrustEntry }
  | { status: 'untrusted' }

const norm = (s: string) => s.trim().toLowerCase()

/** The file name of a path, either slash. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path
}

/** Windows paths compare without case and either slash; every other system's paths exactly. */
function isWindowsPath(p: string): boolean {
  return /^[a-z]:[\\/]/i.test(p) || p.startsWith('\\\\')
}

export function sameExe(a: string, b: string): boolean {
  if (isWindowsPath(a) || isWindowsPath(b))
    return norm(a).replace(/\//g, '\\') === norm(b).replace(/\//g, '\\')
  return a === b
}

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || isWindowsPath(p)
}

/**
 * An entry as stored in settings: an older plain string is a name-only entry for the camera (or an
 * executable, when it is a full path); an entry object is taken as it is.
 */
export function trustEntryOf(raw: string | TrustEntry): TrustEntry {
  if (typeof raw !== 'string') return raw
  const text = raw.trim()
  if (isAbsolutePath(text)) return { exe: text, name: baseName(text), kinds: ['camera'] }
  return { exe: null, name: text, kinds: ['camera'] }
}

/** The trusted list as stored in settings, as entries. */
export function trustEntries(stored: readonly (string | TrustEntry)[]): TrustEntry[] {
  return stored.map(trustEntryOf)
}

/** An entry that names an app only: any program that takes the name passes. */
export function isNameOnly(entry: TrustEntry): boolean {
  return entry.exe === null && !entry.bundleId
}

const sameBundle = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a !== '' && a.toLowerCase() === b.toLowerCase()

/** The names a trusted entry goes by: its name and its executable's file name. */
function namesOf(entry: TrustEntry): string[] {
  return entry.exe ? [norm(entry.name), norm(baseName(entry.exe))] : [norm(entry.name)]
}

/** The names an app is seen by: its own (self-chosen) name and its executable's file name. */
function appNamesOf(app: CameraUser): string[] {
  return app.exe ? [norm(app.name), norm(baseName(app.exe))] : [norm(app.name)]
}

/**
 * Whether an app may use the device `kind`. An entry with an executable trusts exactly that
 * executable; a name-only entry (older settings) trusts any app by that name. An app that takes a
 * trusted executable's name while running something else is an impersonation.
 */
export function matchTrust(
  app: CameraUser,
  entries: readonly TrustEntry[],
  kind: DeviceKind = 'camera',
): TrustMatch {
  const forKind = entries.filter((e) => e.kinds.includes(kind))
  const names = appNamesOf(app)
  for (const entry of forKind) {
    if (entry.exe !== null) {
      if (app.exe !== null && sameExe(app.exe, entry.exe)) return { status: 'trusted', entry }
    } else if (entry.bundleId) {
      if (sameBundle(entry.bundleId, app.bundleId)) return { status: 'trusted', entry }
    } else if (names.includes(norm(entry.name))) return { status: 'trusted', entry }
  }
  const claimed = forKind.find((e) => !isNameOnly(e) && namesOf(e).some((n) => names.includes(n)))
  return claimed ? { status: 'impersonation', entry: claimed } : { status: 'untrusted' }
}

export function isTrusted(
  app: CameraUser,
  entries: readonly TrustEntry[],
  kind: DeviceKind = 'camera',
): boolean {
  return matchTrust(app, entries, kind).status === 'trusted'
}

/** Plain words for an impersonation: "Process 42 calls itself zoom but runs /tmp/x/zoom, …". Not yet escaped. */
export function impersonationText(app: CameraUser, entry: TrustEntry): string {
  const who = app.pid !== null ? `Process ${app.pid}` : 'A program'
  const runs = app.exe ?? (app.bundleId ? `the app ${app.bundleId}` : 'a program CamGuard cannot see')
  return `${who} calls itself ${app.name} but runs ${runs}, not the trusted ${entry.exe ?? entry.bundleId ?? entry.name}`
}

/**
 * Programs that run other programs (interpreters, shells, sandbox launchers): their executable is
 * the same for every script, so trusting it would trust them all.
 */
const RUNNERS =
  /^(python[\d.]*m?|pypy[\d.]*|node|nodejs|deno|bun|java|javaw|sh|bash|dash|zsh|fish|ksh|csh|tcsh|perl[\d.]*|ruby[\d.]*|php[\d.]*|lua[\d.]*|tclsh[\d.]*|wish[\d.]*|osascript|env|flatpak|flatpak-spawn|bwrap|snap|snap-confine|firejail|wine|wine64|wine-preloader|wine64-preloader|mono|dotnet|powershell|pwsh|cmd|wscript|cscript|rundll32)(\.exe)?$/i

/** Runners that start programs rather than read scripts. */
const LAUNCHERS =
  /^(env|flatpak|flatpak-spawn|bwrap|snap|snap-confine|firejail|wine|wine64|wine-preloader|wine64-preloader|rundll32)(\.exe)?$/i

/** The runner an executable is (python3, bash, flatpak...), or null for an app of its own. */
export function runnerOf(exe: string): string | null {
  const name = baseName(exe)
  return RUNNERS.test(name) ? name : null
}

/**
 * The trust entry for a running app, or why it cannot have one: an app the OS could not name by
 * its executable, or one that runs inside an interpreter or launcher.
 */
export function trustEntryFor(
  app: Pick<CameraUser, 'name' | 'exe' | 'bundleId'>,
  kinds: DeviceKind[],
): { ok: true; entry: TrustEntry } | { ok: false; why: string } {
  if (!app.exe && app.bundleId)
    return { ok: true, entry: { exe: null, bundleId: app.bundleId, name: app.name, kinds: [...kinds] } }
  if (!app.exe) {
    return {
      ok: false,
      why: `CamGuard cannot see which program ${app.name} runs, so it cannot trust it safely; give the path of its executable instead`,
    }
  }
  const runner = runnerOf(app.exe)
  if (runner) return { ok: false, why: runnerRefusal(app, app.exe, runner) }
  return { ok: true, entry: { exe: app.exe, name: app.name, kinds: [...kinds] } }
}

/** Why a program run by `runner` cannot be trusted: said of the app, or of the runner itself. */
function runnerRefusal(app: Pick<CameraUser, 'name'>, exe: string, runner: string): string {
  // Known only as the runner (a path to python3, or a process named python3): there is no app to name.
  if (runnerOf(app.name)) {
    const [what, every] = LAUNCHERS.test(runner)
      ? ['a launcher', 'every program it starts']
      : ['an interpreter', 'every script it runs']
    return `${exe} is ${what} (${runner}): trusting it would trust ${every}, so CamGuard keeps alerting for it; trust the app's own program file instead`
  }
  return `${app.name} runs inside ${runner} (${exe}); trusting ${runner} would trust every program it runs, so CamGuard will keep alerting for it`
}

/** Whether two entries are the same identity (the same executable, or the same name for name-only ones). */
export function sameIdentity(a: TrustEntry, b: TrustEntry): boolean {
  if (a.exe !== null || b.exe !== null) return a.exe !== null && b.exe !== null && sameExe(a.exe, b.exe)
  if (a.bundleId || b.bundleId) return sameBundle(a.bundleId, b.bundleId)
  return norm(a.name) === norm(b.name)
}

/** The list with `entry` added; an entry for the same identity gains the entry's kinds instead. */
export function addTrust(list: readonly TrustEntry[], entry: TrustEntry): TrustEntry[] {
  const i = list.findIndex((e) => sameIdentity(e, entry))
  if (i < 0) return [...list, entry]
  const kinds = [...new Set([...list[i]!.kinds, ...entry.kinds])]
  return list.map((e, j) => (j === i ? { ...e, kinds } : e))
}

/** The entries `what` (a name or an executable path) stands for. */
export function entriesNamed(list: readonly TrustEntry[], what: string): TrustEntry[] {
  const text = what.trim()
  if (isAbsolutePath(text)) return list.filter((e) => e.exe !== null && sameExe(e.exe, text))
  return list.filter((e) => namesOf(e).includes(norm(text)))
}

/** How an entry is shown: its name, and what identifies it. Not yet escaped. */
export function describeTrust(entry: TrustEntry): string {
  const kinds = entry.kinds.length === 1 ? ` (${entry.kinds[0]} only)` : ''
  if (entry.exe !== null) return `${entry.name}: ${entry.exe}${kinds}`
  if (entry.bundleId) return `${entry.name}: app ${entry.bundleId}${kinds}`
  return `${entry.name}: by name only (weaker)${kinds}`
}

export const NAME_ONLY_WORDS =
  'by name only (weaker): any program that calls itself this name is trusted. Upgrade it to the executable of the running app.'

/** An app seen using a device (now, or in a recent history record): what `trust NAME` resolves to. */
export interface SeenApp {
  app: Pick<CameraUser, 'name' | 'exe' | 'bundleId'>
  kind: DeviceKind
}

export interface Resolved {
  /** The identities found, each once, for the devices given (or those they were seen using). */
  entries: TrustEntry[]
  /** Apps by that name that cannot be trusted safely, and why. */
  refused: { name: string; why: string }[]
}

/**
 * The identities a name stands for among the apps seen: every executable that went by that name
 * (its own name or its executable's file name, ignoring case).
 */
export function resolveTrust(name: string, seen: readonly SeenApp[], kinds?: DeviceKind[]): Resolved {
  const wanted = norm(name)
  const out: Resolved = { entries: [], refused: [] }
  for (const { app, kind } of seen) {
    const names = app.exe ? [norm(app.name), norm(baseName(app.exe))] : [norm(app.name)]
    if (!names.includes(wanted)) continue
    const made = trustEntryFor(app, kinds ?? [kind])
    if (!made.ok) {
      if (!out.refused.some((r) => r.why === made.why)) out.refused.push({ name: app.name, why: made.why })
      continue
    }
    out.entries = addTrust(out.entries, { ...made.entry, name: name.trim() })
  }
  return out
}

/**
 * The list with each name-only entry replaced by the executables that name resolves to now (with the
 * entry's devices); entries nothing resolves stay as they are and are returned in `left`.
 */
export function upgradeTrust(
  list: readonly TrustEntry[],
  seen: readonly SeenApp[],
): { list: TrustEntry[]; upgraded: { from: TrustEntry; to: TrustEntry[] }[]; left: TrustEntry[] } {
  const upgraded: { from: TrustEntry; to: TrustEntry[] }[] = []
  const left: TrustEntry[] = []
  // Each upgraded entry takes its place in the list, so the user's order stays.
  const next = list
    .flatMap((entry) => {
      if (!isNameOnly(entry)) return [entry]
      const { entries } = resolveTrust(entry.name, seen, entry.kinds)
      if (entries.length === 0) left.push(entry)
      else upgraded.push({ from: entry, to: entries })
      return entries.length ? entries : [entry]
    })
    .reduce<TrustEntry[]>(addTrust, [])
  return { list: next, upgraded, left }
}

/**
 * The list with `entries` (identities found for `name`) added; a name-only entry for that name is
 * replaced by them (its devices carried over): trusting the running app upgrades the older entry.
 */
export function trustInstead(
  list: readonly TrustEntry[],
  name: string,
  entries: readonly TrustEntry[],
): TrustEntry[] {
  const old = list.filter((e) => isNameOnly(e) && norm(e.name) === norm(name))
  const kinds = old.flatMap((e) => e.kinds)
  const kept = list.filter((e) => !old.includes(e))
  return entries.map((e) => ({ ...e, kinds: [...new Set([...e.kinds, ...kinds])] })).reduce(addTrust, kept)
}
