// Stand-ins for the macOS and Windows native bindings, answering from recordings (JSON files in
// tests/fixtures) or constructed cases, so the detectors' logic runs on Linux. The real bindings
// are tested where their OS runs (src/core/native/*.test.ts on the CI matrix).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { RunResult, Runner } from '../../src/core/ports.js'
import type { SpawnLines, StreamExit } from '../../src/core/camera/spawn-lines.js'
import { NativeCallError, type Loaded } from '../../src/core/native/koffi.js'
import {
  HAL,
  describeOSStatus,
  fourCC,
  type HalObjects,
  type MacNative,
  type PropertyAddress,
} from '../../src/core/native/darwin.js'
import { AUDIO, type MacAudioNative } from '../../src/core/native/coreaudio.js'
import type {
  Capability,
  ConsentKeyRecord,
  Hive,
  WinNative,
  WinProcess,
} from '../../src/core/native/win32.js'

export function fixture<T>(path: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)), 'utf8')) as T
}

// --- macOS ---------------------------------------------------------------------------------------

export interface RecordedCmioDevice {
  id: number
  uid: string
  name: string
  /** FourCC of kCMIODevicePropertyTransportType, e.g. "bltn", "usb ", "virt"; absent when unset. */
  transport?: string
  running: boolean
}

export interface CmioRecording {
  devices: RecordedCmioDevice[]
  /** "<fourcc>:<object id>" -> OSStatus the call returns instead of an answer. */
  failures?: Record<string, number>
}

/** A CoreMediaIO stand-in: answers from the recording, and set() plays a change to the listeners. */
export function fakeMac(recording: CmioRecording) {
  const devices = recording.devices.map((d) => ({ ...d }))
  const failures = { ...(recording.failures ?? {}) }
  const listeners: { obj: number; selector: number; fn: () => void }[] = []
  let pumps = 0
  const cc = (n: number) => String.fromCharCode(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff)
  const check = (obj: number, a: PropertyAddress) => {
    const status = failures[`${cc(a.selector)}:${obj}`]
    if (status !== undefined)
      throw new NativeCallError(
        'CMIOObjectGetPropertyData',
        status,
        `CMIOObjectGetPropertyData failed: ${describeOSStatus(status)}`,
      )
  }
  const device = (obj: number, a: PropertyAddress) => {
    const d = devices.find((x) => x.id === obj)
    if (!d)
      throw new NativeCallError(
        'CMIOObjectGetPropertyData',
        fourCC('!obj'),
        `no object ${obj} (${cc(a.selector)})`,
      )
    return d
  }
  const cmio: HalObjects = {
    has: (obj) => obj === HAL.SYSTEM_OBJECT || devices.some((d) => d.id === obj),
    uint32(obj, a) {
      check(obj, a)
      const d = device(obj, a)
      if (a.selector === HAL.IS_RUNNING_SOMEWHERE) return d.running ? 1 : 0
      if (a.selector === HAL.TRANSPORT_TYPE && d.transport) return fourCC(d.transport)
      throw new NativeCallError(
        'CMIOObjectGetPropertyData',
        fourCC('who?'),
        `unknown property ${cc(a.selector)}`,
      )
    },
    uint32List(obj, a) {
      check(obj, a)
      if (obj === HAL.SYSTEM_OBJECT && a.selector === HAL.DEVICES) return devices.map((d) => d.id)
      throw new NativeCallError(
        'CMIOObjectGetPropertyDataSize',
        fourCC('who?'),
        `unknown property ${cc(a.selector)}`,
      )
    },
    string(obj, a) {
      check(obj, a)
      const d = device(obj, a)
      if (a.selector === HAL.NAME) return d.name
      if (a.selector === HAL.DEVICE_UID) return d.uid
      throw new NativeCallError(
        'CMIOObjectGetPropertyData',
        fourCC('who?'),
        `unknown property ${cc(a.selector)}`,
      )
    },
    listen(obj, a, fn) {
      check(obj, a)
      const entry = { obj, selector: a.selector, fn }
      listeners.push(entry)
      return () => void listeners.splice(listeners.indexOf(entry), 1)
    },
  }
  const native: MacNative = { cmio, pumpRunLoop: () => void pumps++ }
  const fire = (obj: number, selector: number) =>
    listeners.filter((l) => l.obj === obj && l.selector === selector).forEach((l) => l.fn())
  return {
    loaded: { ok: true, value: native } as Loaded<MacNative>,
    listeners,
    get pumps() {
      return pumps
    },
    /** A camera starts or stops running somewhere; its listeners are told. */
    setRunning(id: number, running: boolean) {
      devices.find((d) => d.id === id)!.running = running
      fire(id, HAL.IS_RUNNING_SOMEWHERE)
    },
    plug(d: RecordedCmioDevice) {
      devices.push({ ...d })
      fire(HAL.SYSTEM_OBJECT, HAL.DEVICES)
    },
    fail(key: string, status: number) {
      failures[key] = status
    },
  }
}

// --- macOS: the log and lsappinfo, the only programs the macOS detector starts ------------------

export function ok(stdout: string): RunResult {
  return { code: 0, signal: null, stdout, stderr: '', timedOut: false }
}

export function fakeStreams() {
  const started: {
    file: string
    args: readonly string[]
    emit: (line: string) => void
    exit: (info: Partial<StreamExit>) => void
    killed: boolean
  }[] = []
  const spawnLines: SpawnLines = (file, args, onLine, onExit) => {
    const entry = {
      file,
      args,
      killed: false,
      emit: onLine,
      exit: (info: Partial<StreamExit>) => onExit({ code: null, signal: null, stderr: '', ...info }),
    }
    started.push(entry)
    return {
      kill() {
        entry.killed = true
      },
    }
  }
  return { spawnLines, started }
}

export function fakeRunner(answers: { logShow?: RunResult; pids?: Record<string, number> } = {}) {
  const calls: { file: string; args: readonly string[]; timeoutMs: number | undefined }[] = []
  const runner: Runner = async (file, args, options) => {
    calls.push({ file, args, timeoutMs: options?.timeoutMs })
    if (file === 'log') return answers.logShow ?? ok('')
    if (file === 'lsappinfo') {
      const pid = answers.pids?.[args[args.length - 1] as string]
      return ok(pid ? `"pid"=${pid}\n` : '')
    }
    return {
      code: null,
      signal: null,
      stdout: '',
      stderr: '',
      timedOut: false,
      spawnError: `spawn ${file} ENOENT`,
    }
  }
  return { runner, calls }
}

// --- Windows -------------------------------------------------------------------------------------

/** JSON cannot hold a bigint: FILETIMEs are written as decimal or 0x strings. */
interface RecordedKey {
  key: string
  lastUsedTimeStart?: string | null
  lastUsedTimeStop?: string | null
}

export interface WinRecording {
  /** null: the store key does not exist in that hive; a string: the call fails with that message. */
  HKCU: RecordedKey[] | null | string
  HKLM: RecordedKey[] | null | string
  /** null: listing processes fails. startMs may be given as an ISO date. */
  processes: (Omit<WinProcess, 'startMs'> & { startMs: number | string | null })[] | null
  /** Which store key the recording is of: 'webcam' (default) or 'microphone'; the other reads as absent. */
  capability?: Capability
}

const big = (v: string | null | undefined) => (v === null || v === undefined ? null : BigInt(v))

/** A Windows stand-in: answers from the recording; change() plays a registry change to the watchers. */
export function fakeWin(recording: WinRecording) {
  const state = structuredClone(recording)
  const watchers: { hive: Hive; capability: Capability; fn: () => void; closed: boolean }[] = []
  let processLists = 0
  const native: WinNative = {
    readConsentStore(hive, capability) {
      if (capability !== (state.capability ?? 'webcam')) return null
      const keys = state[hive]
      if (typeof keys === 'string') throw new NativeCallError('RegOpenKeyExW', 5, keys)
      if (keys === null) return null
      return keys.map((k): ConsentKeyRecord => ({
        key: k.key,
        lastUsedTimeStart: big(k.lastUsedTimeStart),
        lastUsedTimeStop: big(k.lastUsedTimeStop),
      }))
    },
    watchConsentStore(hive, capability, fn) {
      if (state[hive] === null || typeof state[hive] === 'string')
        throw new NativeCallError('RegOpenKeyExW', 2, `${hive} store does not exist`)
      const w = { hive, capability, fn, closed: false }
      watchers.push(w)
      return {
        close: () => {
          w.closed = true
        },
      }
    },
    listProcesses() {
      processLists++
      if (state.processes === null)
        throw new NativeCallError(
          'CreateToolhelp32Snapshot',
          5,
          'CreateToolhelp32Snapshot failed: error 5 (access denied)',
        )
      return state.processes.map((p) => ({
        ...p,
        startMs: typeof p.startMs === 'string' ? Date.parse(p.startMs) : p.startMs,
      }))
    },
  }
  return {
    loaded: { ok: true, value: native } as Loaded<WinNative>,
    state,
    watchers,
    get processLists() {
      return processLists
    },
    /** Changes the recording and tells the watchers of that hive. */
    change(hive: Hive, keys: RecordedKey[]) {
      state[hive] = keys
      watchers.filter((w) => w.hive === hive && !w.closed).forEach((w) => w.fn())
    },
  }
}

/** A FILETIME string for an ISO date (what Windows would write for that moment). */
export function filetime(iso: string): string {
  return String(BigInt(Date.parse(iso)) * 10000n + 116444736000000000n)
}

// --- macOS: CoreAudio ----------------------------------------------------------------------------

export interface RecordedAudioDevice {
  id: number
  uid: string
  name: string
  /** FourCC of kAudioDevicePropertyTransportType; absent when unset. */
  transport?: string
  /** How many input streams (0: an output-only device). */
  inputStreams: number
  running: boolean
}

export interface RecordedAudioProcess {
  id: number
  pid: number
  bundle?: string
  runningInput: boolean
}

export interface AudioRecording {
  devices: RecordedAudioDevice[]
  /** null: a macOS without process objects (before 14.2). */
  processes: RecordedAudioProcess[] | null
  /** pid -> the path proc_pidpath gives. */
  paths: Record<string, string>
  /** "<fourcc>:<object id>" -> OSStatus the call returns instead of an answer. */
  failures?: Record<string, number>
}

/** A CoreAudio stand-in: answers from the recording; the setters play a change to the listeners. */
export function fakeMacAudio(recording: AudioRecording) {
  const state = structuredClone(recording)
  const listeners: { obj: number; selector: number; fn: () => void }[] = []
  let pumps = 0
  const cc = (n: number) => String.fromCharCode(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff)
  const fail = (status: number, what: string): never => {
    throw new NativeCallError('AudioObjectGetPropertyData', status, `${what}: ${describeOSStatus(status)}`)
  }
  const check = (obj: number, a: PropertyAddress) => {
    const status = state.failures?.[`${cc(a.selector)}:${obj}`]
    if (status !== undefined) fail(status, `AudioObjectGetPropertyData failed (${cc(a.selector)} of ${obj})`)
  }
  const device = (obj: number) => state.devices.find((d) => d.id === obj)
  const proc = (obj: number) => state.processes?.find((p) => p.id === obj)
  const unknown = (a: PropertyAddress) => fail(fourCC('who?'), `unknown property ${cc(a.selector)}`)
  const audio: HalObjects = {
    has: (obj, a) =>
      obj === HAL.SYSTEM_OBJECT
        ? a.selector !== AUDIO.PROCESS_OBJECTS || state.processes !== null
        : Boolean(device(obj) ?? proc(obj)),
    uint32(obj, a) {
      check(obj, a)
      const d = device(obj)
      const p = proc(obj)
      if (d && a.selector === HAL.IS_RUNNING_SOMEWHERE) return d.running ? 1 : 0
      if (d && a.selector === HAL.TRANSPORT_TYPE && d.transport) return fourCC(d.transport)
      if (p && a.selector === AUDIO.PROCESS_RUNNING_INPUT) return p.runningInput ? 1 : 0
      if (p && a.selector === AUDIO.PROCESS_PID) return p.pid
      return unknown(a)
    },
    uint32List(obj, a) {
      check(obj, a)
      if (obj === HAL.SYSTEM_OBJECT && a.selector === HAL.DEVICES) return state.devices.map((d) => d.id)
      if (obj === HAL.SYSTEM_OBJECT && a.selector === AUDIO.PROCESS_OBJECTS && state.processes)
        return state.processes.map((p) => p.id)
      const d = device(obj)
      if (d && a.selector === HAL.STREAMS && a.scope === HAL.SCOPE_INPUT)
        return Array.from({ length: d.inputStreams }, (_, i) => 1000 + d.id * 10 + i)
      return unknown(a)
    },
    string(obj, a) {
      check(obj, a)
      const d = device(obj)
      const p = proc(obj)
      if (d && a.selector === HAL.NAME) return d.name
      if (d && a.selector === HAL.DEVICE_UID) return d.uid
      if (p && a.selector === AUDIO.PROCESS_BUNDLE_ID && p.bundle) return p.bundle
      return unknown(a)
    },
    listen(obj, a, fn) {
      check(obj, a)
      const entry = { obj, selector: a.selector, fn }
      listeners.push(entry)
      return () => void listeners.splice(listeners.indexOf(entry), 1)
    },
  }
  const native: MacAudioNative = {
    audio,
    pumpRunLoop: () => void pumps++,
    processPath: (pid) => state.paths[String(pid)] ?? null,
  }
  const fire = (obj: number, selector: number) =>
    listeners.filter((l) => l.obj === obj && l.selector === selector).forEach((l) => l.fn())
  return {
    loaded: { ok: true, value: native } as Loaded<MacAudioNative>,
    state,
    listeners,
    get pumps() {
      return pumps
    },
    setRunning(id: number, running: boolean) {
      state.devices.find((d) => d.id === id)!.running = running
      fire(id, HAL.IS_RUNNING_SOMEWHERE)
    },
    setRecording(id: number, runningInput: boolean) {
      state.processes!.find((p) => p.id === id)!.runningInput = runningInput
      fire(id, AUDIO.PROCESS_RUNNING_INPUT)
    },
    addProcess(p: RecordedAudioProcess) {
      state.processes!.push(p)
      fire(HAL.SYSTEM_OBJECT, AUDIO.PROCESS_OBJECTS)
    },
    fail(key: string, status: number) {
      state.failures = { ...state.failures, [key]: status }
    },
  }
}
