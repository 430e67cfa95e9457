// macOS: which app turned the camera on. CoreMediaIO says whether a camera runs, not for whom;
// Control Center logs the apps behind its green menu-bar dot (subsystem com.apple.controlcenter,
// category sensor-indicators), and `log stream` follows that log. macOS shows the live system log
// to administrator accounts only, so the stream starts only for one; otherwise CamGuard says
// plainly, once, why apps are unnamed. One long-running `log stream`, never a process per check;
// `lsappinfo` runs once per newly named app to find its pid.
import type { Clock, Runner } from '../ports.js'
import type { CameraUser } from '../../shared/types.js'
import { DEFAULT_COMMAND_TIMEOUT_MS, describeRunFailure, errorMessage, firstLine } from './os-command.js'
import {
  spawnLines as defaultSpawnLines,
  type LineStream,
  type SpawnLines,
  type StreamExit,
} from './spawn-lines.js'

export const UNKNOWN_APP = 'Unknown app'
// The admin group on macOS (gid 80): its members may read the live system log.
const ADMIN_GID = 80

export const SENSOR_LOG_PREDICATE =
  'subsystem == "com.apple.controlcenter" AND category == "sensor-indicators"'
export const LOG_STREAM_ARGS = ['stream', '--style', 'ndjson', '--predicate', SENSOR_LOG_PREDICATE] as const
// Seeds the app name when the camera was already on before the stream started (e.g. `camguard status`).
export const LOG_SHOW_ARGS = [
  'show',
  '--style',
  'ndjson',
  '--last',
  '1h',
  '--predicate',
  SENSOR_LOG_PREDICATE,
] as const

export interface CamAttribution {
  /** e.g. com.apple.FaceTime; '' when the message named only the app; '<private>' when redacted. */
  bundleId: string
  /** Given by the newer message form only. */
  name?: string
}

const OLD_FORM = /Active activity attributions changed to\s*(\[[\s\S]*\])\s*$/
const NEW_FORM = /Sorted active attributions from SystemStatus update:\s*\[([\s\S]*)\]\s*$/
const KINDS = 'cam|mic|scr|aud|loc'
// What the log writes in place of a value it does not show (a message logged without %{public}).
const PRIVATE = '<private>'

/**
 * One line of `log stream --style ndjson`: null unless it is Control Center's sensor-indicators
 * report, else the camera attributions it lists ([] when no app uses the camera). Never throws.
 */
export function parseSensorIndicatorLine(line: string): CamAttribution[] | null {
  try {
    return parseLine(line)
  } catch {
    return null
  }
}

function parseLine(line: string): CamAttribution[] | null {
  if (typeof line !== 'string') return null
  const text = line.trim()
  if (!text.startsWith('{')) return null
  let event: unknown
  try {
    event = JSON.parse(text)
  } catch {
    return null
  }
  if (!isRecord(event)) return null
  if (event.subsystem !== 'com.apple.controlcenter' || event.category !== 'sensor-indicators') return null
  // Any process may log under any subsystem name; only Control Center itself, which lives on the
  // sealed system volume, is believed.
  if (typeof event.processImagePath === 'string') {
    if (
      !event.processImagePath.startsWith('/System/') ||
      !event.processImagePath.endsWith('/ControlCenter')
    ) {
      return null
    }
  } else if (event.process !== 'ControlCenter') return null
  const message = event.eventMessage
  if (typeof message !== 'string') return null

  const old = OLD_FORM.exec(message)
  if (old) return parseOldForm(old[1] as string)
  const sorted = NEW_FORM.exec(message)
  if (sorted) return parseNewForm(sorted[1] as string)
  return null
}

// ["cam:com.apple.FaceTime", "mic:com.apple.FaceTime"]
function parseOldForm(list: string): CamAttribution[] {
  let items: unknown
  try {
    items = JSON.parse(list)
  } catch {
    items = [...list.matchAll(/"([^"]*)"/g)].map((m) => m[1])
  }
  if (!Array.isArray(items)) return []
  const out: CamAttribution[] = []
  for (const item of items) {
    if (typeof item !== 'string') continue
    const m = new RegExp(`^\\s*(${KINDS}):(.*)$`).exec(item)
    if (!m || m[1] !== 'cam') continue
    const bundleId = (m[2] as string).trim()
    if (bundleId !== '') addAttribution(out, { bundleId })
  }
  return out
}

// [cam] FaceTime (com.apple.FaceTime), [mic] FaceTime (com.apple.FaceTime)
function parseNewForm(inner: string): CamAttribution[] {
  const tag = new RegExp(`\\[(${KINDS})\\]`, 'g')
  const marks = [...inner.matchAll(tag)]
  const out: CamAttribution[] = []
  marks.forEach((mark, i) => {
    if (mark[1] !== 'cam') return
    const from = (mark.index ?? 0) + mark[0].length
    const to = i + 1 < marks.length ? (marks[i + 1]?.index ?? inner.length) : inner.length
    const segment = inner.slice(from, to).trim().replace(/,\s*$/, '').trim()
    if (segment === '') return
    // The bundle id is the last parenthesised part; app names may hold parentheses themselves.
    const m = /^(.*?)\s*\(([^()]*)\)$/.exec(segment)
    const name = m ? (m[1] as string).trim() : segment
    const bundleId = m ? (m[2] as string).trim() : ''
    // A redacted name is no name: the app is shown as unknown, never as "<private>".
    const shown = name !== '' && name !== PRIVATE ? { name } : {}
    addAttribution(out, { bundleId: bundleId || (name === PRIVATE ? PRIVATE : ''), ...shown })
  })
  return out
}

function addAttribution(list: CamAttribution[], a: CamAttribution): void {
  if (list.some((x) => x.bundleId === a.bundleId && x.name === a.name)) return
  list.push(a)
}

// Bundle ids whose last part is not the name people know.
const KNOWN_BUNDLES: Record<string, string> = {
  'us.zoom.xos': 'zoom.us',
  'com.google.chrome': 'Google Chrome',
  'com.microsoft.teams': 'Microsoft Teams',
  'com.microsoft.teams2': 'Microsoft Teams',
  'com.apple.facetime': 'FaceTime',
  'com.apple.photobooth': 'Photo Booth',
  'com.apple.safari': 'Safari',
  'com.tinyspeck.slackmacgap': 'Slack',
  'org.mozilla.firefox': 'Firefox',
  'com.hnc.discord': 'Discord',
  'com.skype.skype': 'Skype',
  'com.obsproject.obs-studio': 'OBS Studio',
}

/** com.apple.FaceTime -> "FaceTime"; unknown ids give their last part. */
export function bundleDisplayName(bundleId: string): string {
  const known = KNOWN_BUNDLES[bundleId.toLowerCase()]
  if (known) return known
  const last = bundleId
    .split('.')
    .filter((p) => p !== '')
    .pop()
  return last && last !== PRIVATE ? last : UNKNOWN_APP
}

/** `lsappinfo info -only pid <bundle id>` prints "pid"=1234, or nothing when the app is not running. */
export function parseLsappinfoPid(output: string): number | null {
  const m = /"pid"\s*=\s*(\d+)/.exec(typeof output === 'string' ? output : '')
  if (!m) return null
  const pid = Number(m[1])
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null
}

/** Whether this process may stream the system log: root, or a member of the admin group. */
export function isAdministrator(
  groups: readonly number[] = process.getgroups?.() ?? [],
  uid: number | undefined = process.getuid?.(),
): boolean {
  return uid === 0 || groups.includes(ADMIN_GID)
}

export interface AppNamerDeps {
  runner: Runner
  clock: Clock
  /** Starts `log stream`; defaults to child_process.spawn. */
  spawnLines?: SpawnLines
  /** Whether the account may read the live log; default: isAdministrator(), asked once. */
  administrator?: boolean
  /** Bound on each log show / lsappinfo run; default 5 s. */
  timeoutMs?: number
  /** Wait before starting `log stream` again after it stopped; default 60 s. */
  restartDelayMs?: number
  /** false: never read the log (apps stay unnamed). Default true. */
  watchLog?: boolean
}

type StreamStatus = 'idle' | 'running' | 'stopped'

export interface AppNamer {
  readonly administrator: boolean
  /** Starts following the log where allowed; onChange is told when the named apps change. */
  start(onChange?: () => void): void
  /** The apps the log names now (seeded from the last hour when the camera was on before). */
  users(anyInUse: boolean): Promise<CameraUser[]>
  /** Why no app is named, when none is. */
  unnamedReason(): string
  /** Said once per snapshot while it holds (e.g. not an administrator), whatever the camera does. */
  standingWarning(): string | null
  close(): void
}

export function createAppNamer(deps: AppNamerDeps): AppNamer {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS
  const restartDelayMs = deps.restartDelayMs ?? 60_000
  const spawn = deps.spawnLines ?? defaultSpawnLines
  const watchLog = deps.watchLog ?? true
  const administrator = deps.administrator ?? isAdministrator()
  const clock = deps.clock
  let closed = false
  let stream: LineStream | null = null
  let streamStatus: StreamStatus = 'idle'
  let streamStoppedAt = 0
  let streamProblem = ''
  let changed: (() => void) | null = null
  /** Latest camera attributions; null until the log told us anything. */
  let attributions: CamAttribution[] | null = null
  let seeded = false
  const pids = new Map<string, Promise<number | null>>()
  const readsLog = () => watchLog && administrator && !closed

  function setAttributions(next: CamAttribution[]): void {
    attributions = next
    pids.clear()
  }

  function startStream(): void {
    if (!readsLog() || streamStatus === 'running') return
    if (streamStatus === 'stopped' && clock.now() - streamStoppedAt < restartDelayMs) return
    streamStatus = 'running'
    let handle: LineStream | null = null
    const onLine = (line: string) => {
      const parsed = parseSensorIndicatorLine(line)
      if (!parsed) return
      setAttributions(parsed)
      changed?.()
    }
    const onExit = (exit: StreamExit) => {
      if (stream === handle) stream = null
      streamStatus = 'stopped'
      streamStoppedAt = clock.now()
      if (closed) return
      // What we knew may have changed while nobody listened.
      attributions = null
      seeded = false
      streamProblem = describeStreamExit(exit)
    }
    try {
      handle = spawn('log', LOG_STREAM_ARGS, onLine, onExit)
      stream = handle
    } catch (err) {
      onExit({ code: null, signal: null, error: errorMessage(err), stderr: '' })
    }
  }

  async function safeRun(file: string, args: readonly string[]) {
    try {
      return await deps.runner(file, args, { timeoutMs })
    } catch (err) {
      return {
        code: null,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        spawnError: errorMessage(err),
      }
    }
  }

  async function seedFromHistory(): Promise<void> {
    if (seeded || !readsLog()) return
    seeded = true
    const result = await safeRun('log', LOG_SHOW_ARGS)
    if (describeRunFailure('log show', result, timeoutMs)) return
    let latest: CamAttribution[] | null = null
    for (const line of result.stdout.split(/\r?\n/)) {
      const parsed = parseSensorIndicatorLine(line)
      if (parsed) latest = parsed
    }
    if (latest && attributions === null) setAttributions(latest)
  }

  function pidOf(bundleId: string): Promise<number | null> {
    let known = pids.get(bundleId)
    if (!known) {
      known = safeRun('lsappinfo', ['info', '-only', 'pid', bundleId]).then((r) =>
        describeRunFailure('lsappinfo', r, timeoutMs) ? null : parseLsappinfoPid(r.stdout),
      )
      pids.set(bundleId, known)
    }
    return known
  }

  return {
    administrator,
    start(onChange) {
      if (onChange) changed = onChange
      startStream()
    },
    async users(anyInUse) {
      startStream() // again, after a stop and the restart delay
      if (anyInUse && attributions === null) await seedFromHistory()
      const users: CameraUser[] = []
      for (const a of attributions ?? []) {
        const named = a.bundleId !== '' && a.bundleId !== PRIVATE
        const name = a.name ?? (named ? bundleDisplayName(a.bundleId) : UNKNOWN_APP)
        const pid = named ? await pidOf(a.bundleId) : null
        if (users.some((u) => u.name === name && u.pid === pid)) continue
        // The bundle id is the system's attribution, so it can identify a trusted app.
        users.push({
          pid,
          name,
          exe: null,
          evidence: 'os-report',
          ...(named ? { bundleId: a.bundleId } : {}),
        })
      }
      return users
    },
    unnamedReason() {
      if (!watchLog) return 'Reading the system log is turned off, so the app using the camera is not named.'
      if (!administrator) return NOT_ADMIN
      if (streamStatus === 'stopped') return `CamGuard cannot name the app using the camera: ${streamProblem}`
      return 'The app using the camera is not named yet: macOS reports it when the camera next turns on or off.'
    },
    standingWarning() {
      return watchLog && !administrator ? NOT_ADMIN : null
    },
    close() {
      closed = true
      const s = stream
      stream = null
      s?.kill()
    },
  }
}

const NOT_ADMIN =
  'Apps using the camera cannot be named: macOS shows the log that names them only to administrator accounts, and this account is not one. CamGuard still tells when a camera is on.'

function describeStreamExit(exit: StreamExit): string {
  const detail = firstLine(exit.stderr)
  if (exit.error) return `\`log stream\` could not start (${exit.error}).`
  const how = exit.signal ? `was stopped by ${exit.signal}` : `exited with code ${String(exit.code)}`
  return `\`log stream\` ${how}${detail ? ` (${detail})` : ''}.`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
