// macOS: whether a camera is on comes from AVFoundation (isInUseByAnotherApplication), read through
// JavaScript for Automation so no compiled helper ships with CamGuard; which app turned it on comes
// from Control Center's sensor-indicators log, the same source as the green menu-bar dot.
//
// Why not CoreMediaIO: kCMIODevicePropertyDeviceIsRunningSomewhere is the precise per-device flag,
// but it is a C API (CMIOObjectGetPropertyData) that osascript's ObjC bridge cannot call usefully;
// it needs a small compiled helper or a native Node addon, which CamGuard does not build yet.
//
// Cost: every snapshot starts one osascript that loads AVFoundation. That has not been measured
// (CamGuard is developed on Linux); a guess is a tenth to a few tenths of a second of CPU per poll.
// Measure it on a Mac: save DARWIN_CAMERA_SCRIPT as camera.js, then `hyperfine 'osascript -l JavaScript camera.js'`
// (or `time osascript -l JavaScript camera.js` a few times) and compare with pollIntervalMs.
import { systemClock } from '../ports.js'
import type { CameraDetector, Clock, Runner } from '../ports.js'
import type { Camera, CameraSnapshot, CameraUser } from '../../shared/types.js'
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  describeRunFailure,
  errorMessage,
  firstLine,
  unknownSnapshot,
} from './os-command.js'
import {
  spawnLines as defaultSpawnLines,
  type LineStream,
  type SpawnLines,
  type StreamExit,
} from './spawn-lines.js'

export const DARWIN_DETECTOR = 'darwin-avfoundation'
export const UNKNOWN_APP = 'Unknown app'

/**
 * Prints {"devices":[{"id","name","inUse"}],"errors":[...]} for every video capture device.
 * devicesWithMediaType is deprecated but lists built-in and USB cameras on every macOS; the
 * discovery session adds Continuity cameras where the device type exists. Each type is tried on
 * its own because an unknown type name raises on older systems.
 */
export const DARWIN_CAMERA_SCRIPT = `ObjC.import('AVFoundation')
function run() {
  var seen = {}
  var devices = []
  var errors = []
  function add(list) {
    for (var i = 0; i < list.count; i++) {
      var d = list.objectAtIndex(i)
      var id = ObjC.unwrap(d.uniqueID)
      if (seen[id]) continue
      seen[id] = true
      var busy = d.isInUseByAnotherApplication
      devices.push({ id: id, name: ObjC.unwrap(d.localizedName), inUse: typeof busy === 'boolean' ? busy : String(busy) })
    }
  }
  try { add($.AVCaptureDevice.devicesWithMediaType('vide')) } catch (e) { errors.push('devicesWithMediaType: ' + e) }
  var types = ['AVCaptureDeviceTypeBuiltInWideAngleCamera', 'AVCaptureDeviceTypeExternal',
    'AVCaptureDeviceTypeExternalUnknown', 'AVCaptureDeviceTypeContinuityCamera']
  for (var t = 0; t < types.length; t++) {
    try {
      add($.AVCaptureDeviceDiscoverySession.discoverySessionWithDeviceTypesMediaTypePosition($([types[t]]), 'vide', 0).devices)
    } catch (e) {}
  }
  return JSON.stringify({ devices: devices, errors: errors })
}`

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

export interface AvDevice {
  id: string
  name: string
  inUse: boolean
}

export type AvDeviceResult =
  { ok: true; devices: AvDevice[]; errors: string[] } | { ok: false; error: string }

/** Reads the JSON the JXA script prints. Never throws; anything unexpected is an error, not "off". */
export function parseAvDevices(output: string): AvDeviceResult {
  if (typeof output !== 'string') return { ok: false, error: 'no output' }
  const line = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'))
    .pop()
  if (!line) return { ok: false, error: `unexpected output: ${firstLine(output) || '(nothing)'}` }
  let data: unknown
  try {
    data = JSON.parse(line)
  } catch {
    return { ok: false, error: `unreadable JSON: ${line.slice(0, 120)}` }
  }
  if (!isRecord(data) || !Array.isArray(data.devices))
    return { ok: false, error: 'the device list is missing' }
  const devices: AvDevice[] = []
  for (const d of data.devices) {
    if (!isRecord(d) || typeof d.id !== 'string' || d.id === '')
      return { ok: false, error: 'a device has no id' }
    const inUse = d.inUse === true || d.inUse === 1 ? true : d.inUse === false || d.inUse === 0 ? false : null
    if (inUse === null)
      return { ok: false, error: `cannot tell whether ${d.id} is in use (${String(d.inUse)})` }
    devices.push({ id: d.id, name: typeof d.name === 'string' && d.name !== '' ? d.name : d.id, inUse })
  }
  const errors = Array.isArray(data.errors)
    ? data.errors.filter((e): e is string => typeof e === 'string')
    : []
  return { ok: true, devices, errors }
}

export interface CamAttribution {
  /** e.g. com.apple.FaceTime; '' when the message named only the app; '<private>' when redacted. */
  bundleId: string
  /** Given by the newer message form only. */
  name?: string
}

const OLD_FORM = /Active activity attributions changed to\s*(\[[\s\S]*\])\s*$/
const NEW_FORM = /Sorted active attributions from SystemStatus update:\s*\[([\s\S]*)\]\s*$/
const KINDS = 'cam|mic|scr|aud|loc'

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
    if (m) {
      const name = (m[1] as string).trim()
      addAttribution(
        out,
        name ? { bundleId: (m[2] as string).trim(), name } : { bundleId: (m[2] as string).trim() },
      )
    } else addAttribution(out, { bundleId: '', name: segment })
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
  return last && last !== '<private>' ? last : UNKNOWN_APP
}

/** `lsappinfo info -only pid <bundle id>` prints "pid"=1234, or nothing when the app is not running. */
export function parseLsappinfoPid(output: string): number | null {
  const m = /"pid"\s*=\s*(\d+)/.exec(typeof output === 'string' ? output : '')
  if (!m) return null
  const pid = Number(m[1])
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null
}

export interface DarwinDetectorDeps {
  runner: Runner
  clock?: Clock
  /** Starts `log stream`; defaults to child_process.spawn. */
  spawnLines?: SpawnLines
  /** Bound on each osascript / log show / lsappinfo run; default 5 s. */
  timeoutMs?: number
  /** Wait before starting `log stream` again after it stopped; default 60 s. */
  restartDelayMs?: number
  /** false: never read the log (apps stay unnamed). Default true. */
  watchLog?: boolean
}

type StreamStatus = 'idle' | 'running' | 'stopped'

export function createDarwinDetector(deps: DarwinDetectorDeps): CameraDetector {
  const clock = deps.clock ?? systemClock
  const timeoutMs = deps.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS
  const restartDelayMs = deps.restartDelayMs ?? 60_000
  const spawn = deps.spawnLines ?? defaultSpawnLines
  const watchLog = deps.watchLog ?? true
  const runner = deps.runner

  let closed = false
  let stream: LineStream | null = null
  let streamStatus: StreamStatus = 'idle'
  let streamStoppedAt = 0
  let streamProblem = ''
  /** Latest camera attributions; null until the log told us anything. */
  let attributions: CamAttribution[] | null = null
  let seeded = false
  const pids = new Map<string, Promise<number | null>>()

  function setAttributions(next: CamAttribution[]): void {
    attributions = next
    pids.clear()
  }

  function startStream(): void {
    if (!watchLog || closed) return
    if (streamStatus === 'running') return
    if (streamStatus === 'stopped' && clock.now() - streamStoppedAt < restartDelayMs) return
    streamStatus = 'running'
    let handle: LineStream | null = null
    const onLine = (line: string) => {
      const parsed = parseSensorIndicatorLine(line)
      if (parsed) setAttributions(parsed)
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

  async function seedFromHistory(): Promise<void> {
    if (seeded || !watchLog) return
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

  async function safeRun(file: string, args: readonly string[]) {
    try {
      return await runner(file, args, { timeoutMs })
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

  async function usersFrom(list: CamAttribution[]): Promise<CameraUser[]> {
    const users: CameraUser[] = []
    for (const a of list) {
      const named = a.bundleId !== '' && a.bundleId !== '<private>'
      const name = a.name ?? (named ? bundleDisplayName(a.bundleId) : UNKNOWN_APP)
      const pid = named ? await pidOf(a.bundleId) : null
      if (users.some((u) => u.name === name && u.pid === pid)) continue
      users.push({ pid, name, exe: null, evidence: 'os-report' })
    }
    return users
  }

  function unnamedReason(): string {
    if (!watchLog) return 'Reading the system log is turned off, so the app using the camera is not named.'
    if (streamStatus === 'stopped') {
      return `CamGuard cannot name the app using the camera: ${streamProblem} macOS lets only administrator accounts read the live system log, so running CamGuard from an administrator account should show app names.`
    }
    return 'The app using the camera is not named yet: macOS reports it when the camera next turns on or off.'
  }

  async function snapshot(): Promise<CameraSnapshot> {
    if (closed) return unknownSnapshot(DARWIN_DETECTOR, clock, 'the macOS camera detector was closed')
    startStream()
    const result = await safeRun('osascript', ['-l', 'JavaScript', '-e', DARWIN_CAMERA_SCRIPT])
    const failure = describeRunFailure('osascript', result, timeoutMs)
    if (failure)
      return unknownSnapshot(DARWIN_DETECTOR, clock, `cannot ask macOS about the camera: ${failure}`)
    const parsed = parseAvDevices(result.stdout)
    if (!parsed.ok) {
      return unknownSnapshot(DARWIN_DETECTOR, clock, `cannot read macOS's camera list: ${parsed.error}`)
    }

    const warnings: string[] = []
    const anyInUse = parsed.devices.some((d) => d.inUse)
    if (anyInUse && attributions === null) await seedFromHistory()
    const known = attributions ?? []
    const named = await usersFrom(known)
    const unnamed = (): CameraUser[] => [{ pid: null, name: UNKNOWN_APP, exe: null, evidence: 'os-report' }]
    if (anyInUse && named.length === 0) warnings.push(unnamedReason())

    const cameras: Camera[] = parsed.devices.map((d) => ({
      id: d.id,
      name: d.name,
      devices: [d.id],
      inUse: d.inUse,
      // The log names apps, not devices: every busy camera gets every app the log lists.
      users: d.inUse ? (named.length > 0 ? named.map((u) => ({ ...u })) : unnamed()) : [],
    }))
    if (!anyInUse && named.length > 0) {
      // Control Center's dot is on for a camera AVFoundation does not list (a virtual or
      // driver-level camera, or a moment between two reports): tell, rather than say off.
      cameras.push({
        id: 'darwin-control-center',
        name: 'Camera (reported by Control Center)',
        devices: [],
        inUse: true,
        users: named,
      })
      warnings.push('Control Center reports the camera in use, but no camera AVFoundation lists is busy.')
    }
    if (parsed.devices.length === 0 && named.length === 0) warnings.push('macOS lists no camera.')

    const state = cameras.some((c) => c.inUse) ? 'on' : 'off'
    return {
      state,
      checkedAt: new Date(clock.now()).toISOString(),
      cameras,
      warnings,
      detector: DARWIN_DETECTOR,
      mode: 'poll',
    }
  }

  return {
    name: DARWIN_DETECTOR,
    async snapshot() {
      try {
        return await snapshot()
      } catch (err) {
        return unknownSnapshot(DARWIN_DETECTOR, clock, `the macOS camera check failed: ${errorMessage(err)}`)
      }
    },
    async close() {
      closed = true
      const s = stream
      stream = null
      s?.kill()
    },
  }
}

function describeStreamExit(exit: StreamExit): string {
  const detail = firstLine(exit.stderr)
  if (exit.error) return `\`log stream\` could not start (${exit.error}).`
  const how = exit.signal ? `was stopped by ${exit.signal}` : `exited with code ${String(exit.code)}`
  return `\`log stream\` ${how}${detail ? ` (${detail})` : ''}.`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
