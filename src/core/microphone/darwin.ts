// macOS: whether a microphone is on comes from CoreAudio, in-process through koffi
// (src/core/native/coreaudio.ts), on the same property API as the camera's CoreMediaIO: the audio
// devices that have input streams, and per device kAudioDevicePropertyDeviceIsRunningSomewhere,
// read in the global scope (the input scope does not report it). Which app: CoreAudio's process
// objects (macOS 14.2 and later) say which pids run audio input. Listeners tell the monitor of
// every change; a slow full read catches what they miss. No process is started, ever.
import type { Camera, CameraSnapshot, CameraUser } from '../../shared/types.js'
import { errorMessage, unknownSnapshot } from '../camera/os-command.js'
import { AUDIO, loadMacAudioNative, type MacAudioNative } from '../native/coreaudio.js'
import { HAL, TRANSPORT, globalAddress, type HalObjects, type PropertyAddress } from '../native/darwin.js'
import type { Loaded } from '../native/koffi.js'
import type { CameraDetector, Clock, DetectorWatch } from '../ports.js'
import { systemClock } from '../ports.js'

export const DARWIN_MIC_DETECTOR = 'darwin-coreaudio'
export const UNKNOWN_RECORDER = 'unknown app'

const inputScope = (selector: number): PropertyAddress => ({
  selector,
  scope: HAL.SCOPE_INPUT,
  element: HAL.ELEMENT_MAIN,
})

export interface InputDevice {
  id: number
  uid: string
  name: string
  running: boolean
  virtual: boolean
}

// Loopback and virtual devices (BlackHole, Zoom's own) carry sound between apps, not from a microphone.
const VIRTUAL_NAME = /\bvirtual\b/i

function optional<T>(read: () => T, fallback: T): T {
  try {
    return read()
  } catch {
    return fallback
  }
}

/** The devices with input streams. Throws when the device list cannot be read (unknown). */
export function readInputDevices(audio: HalObjects): { devices: InputDevice[]; problems: string[] } {
  const ids = audio.uint32List(HAL.SYSTEM_OBJECT, globalAddress(HAL.DEVICES))
  const devices: InputDevice[] = []
  const problems: string[] = []
  for (const id of ids) {
    let input: boolean
    let running: boolean
    try {
      input = audio.uint32List(id, inputScope(HAL.STREAMS)).length > 0
      if (!input) continue
      running = audio.uint32(id, globalAddress(HAL.IS_RUNNING_SOMEWHERE)) !== 0
    } catch (err) {
      problems.push(`audio device ${id}: ${errorMessage(err)}`)
      continue
    }
    const name = optional(() => audio.string(id, globalAddress(HAL.NAME)), '') || `Microphone ${id}`
    const uid = optional(() => audio.string(id, globalAddress(HAL.DEVICE_UID)), '') || String(id)
    const transport = optional<number | null>(() => audio.uint32(id, globalAddress(HAL.TRANSPORT_TYPE)), null)
    devices.push({
      id,
      uid,
      name,
      running,
      virtual: transport === TRANSPORT.VIRTUAL || VIRTUAL_NAME.test(name),
    })
  }
  return { devices, problems }
}

/**
 * The processes running audio input, by pid and the program behind it. null when this macOS has
 * no process objects (before 14.2): then nobody can be named.
 */
export function readRecorders(native: MacAudioNative): CameraUser[] | null {
  const { audio } = native
  const list = globalAddress(AUDIO.PROCESS_OBJECTS)
  if (!audio.has(HAL.SYSTEM_OBJECT, list)) return null
  const users: CameraUser[] = []
  for (const obj of audio.uint32List(HAL.SYSTEM_OBJECT, list)) {
    if (!optional(() => audio.uint32(obj, globalAddress(AUDIO.PROCESS_RUNNING_INPUT)) !== 0, false)) continue
    const pid = optional<number | null>(() => audio.uint32(obj, globalAddress(AUDIO.PROCESS_PID)) | 0, null)
    const exe = pid !== null && pid > 0 ? native.processPath(pid) : null
    const bundle = optional(() => audio.string(obj, globalAddress(AUDIO.PROCESS_BUNDLE_ID)), '')
    users.push({
      pid: pid !== null && pid > 0 ? pid : null,
      name: (exe ? exe.split('/').pop() : '') || bundle || UNKNOWN_RECORDER,
      exe,
      evidence: 'os-report',
    })
  }
  return users
}

export interface DarwinMicDeps {
  clock?: Clock
  native?: Loaded<MacAudioNative>
  /** As for the camera: pump Core Foundation's run loop in a process that runs none (the CLI). */
  pumpRunLoop?: boolean
  /** Whether a virtual input device running turns the microphone on; a function is asked at each check. Default false. */
  alertVirtual?: boolean | (() => boolean)
  reconcileMs?: number
  pumpMs?: number
}

export function createDarwinMicDetector(deps: DarwinMicDeps = {}): CameraDetector {
  const clock = deps.clock ?? systemClock
  const native = deps.native ?? loadMacAudioNative()
  const reconcileMs = deps.reconcileMs ?? 30_000
  const pumpMs = deps.pumpMs ?? 500
  let watching: { stop(): void; mode: 'event' | 'poll' } | null = null
  const unknown = (error: string, warnings: string[] = []) =>
    unknownSnapshot(DARWIN_MIC_DETECTOR, clock, error, warnings)

  function snapshot(): CameraSnapshot {
    if (!native.ok) return unknown(`cannot ask macOS about the microphone: ${native.error}`)
    if (deps.pumpRunLoop) native.value.pumpRunLoop()
    let read: ReturnType<typeof readInputDevices>
    try {
      read = readInputDevices(native.value.audio)
    } catch (err) {
      return unknown(`cannot ask macOS about the microphone: ${errorMessage(err)}`)
    }
    const warnings: string[] = []
    let recorders: CameraUser[] | null
    try {
      recorders = readRecorders(native.value)
    } catch (err) {
      recorders = null
      warnings.push(`macOS did not say which app records (${errorMessage(err)}).`)
    }
    // Read at each check: a change in the settings applies without a restart.
    const given = deps.alertVirtual ?? false
    const alertVirtual = typeof given === 'function' ? given() : given
    const counts = (d: InputDevice) => d.running && (!d.virtual || alertVirtual)
    const on = read.devices.some(counts)
    if (on && recorders === null && warnings.length === 0)
      warnings.push('This macOS does not say which app records (it does from macOS 14.2 on).')
    // CoreAudio names apps, not the device each uses: every busy microphone gets every recorder.
    const users = (): CameraUser[] =>
      recorders && recorders.length > 0
        ? recorders.map((u) => ({ ...u }))
        : [{ pid: null, name: UNKNOWN_RECORDER, exe: null, evidence: 'os-report' }]
    const mics: Camera[] = read.devices.map((d) => ({
      id: d.uid,
      name: d.name,
      devices: [d.uid],
      inUse: counts(d),
      users: counts(d) ? users() : [],
    }))
    for (const d of read.devices)
      if (d.running && d.virtual && !alertVirtual)
        warnings.push(
          `${d.name} is a virtual input and reports being in use; that says nothing about the microphone, so it does not alert (to be told, turn on "Alert for virtual cameras and microphones" in Settings, or run: camguard config set alertVirtualDevices true).`,
        )
    if (read.problems.length > 0) {
      const error = `macOS did not say whether every microphone is in use (${read.problems.join('; ')})`
      if (!on) return unknown(error, warnings)
      warnings.push(error)
    }
    if (read.devices.length === 0) warnings.push('macOS lists no microphone.')
    return {
      state: on ? 'on' : 'off',
      checkedAt: new Date(clock.now()).toISOString(),
      cameras: mics,
      warnings,
      detector: DARWIN_MIC_DETECTOR,
      mode: watching?.mode ?? 'event',
    }
  }

  /** Listens for devices and recording processes coming and going, and for each one's flag. */
  function startWatch(
    native: MacAudioNative,
    onChange: () => void,
  ): { stop(): void; mode: 'event' | 'poll' } {
    const { audio } = native
    const lists = [
      { list: globalAddress(HAL.DEVICES), each: globalAddress(HAL.IS_RUNNING_SOMEWHERE) },
      { list: globalAddress(AUDIO.PROCESS_OBJECTS), each: globalAddress(AUDIO.PROCESS_RUNNING_INPUT) },
    ].filter((l) => audio.has(HAL.SYSTEM_OBJECT, l.list))
    const watches = lists.map((l) => watchEach(audio, l.list, l.each, onChange))
    let timer: unknown = null
    const stop = () => {
      if (timer !== null) clock.clearTimeout(timer)
      timer = null
      for (const w of watches) w.stop()
    }
    try {
      for (const w of watches) w.start()
    } catch {
      stop()
      return { stop, mode: 'poll' }
    }
    if (deps.pumpRunLoop) {
      const tick = () => {
        native.pumpRunLoop()
        timer = clock.setTimeout(tick, pumpMs)
      }
      timer = clock.setTimeout(tick, pumpMs)
    }
    return { stop, mode: 'event' }
  }

  return {
    name: DARWIN_MIC_DETECTOR,
    async snapshot() {
      try {
        return snapshot()
      } catch (err) {
        return unknown(`the macOS microphone check failed: ${errorMessage(err)}`)
      }
    },
    async watch(onChange): Promise<DetectorWatch> {
      watching?.stop()
      const w = native.ok ? startWatch(native.value, onChange) : { stop() {}, mode: 'poll' as const }
      watching = w
      return {
        get mode() {
          return w.mode
        },
        intervalMs: () => (w.mode === 'event' ? reconcileMs : null),
        async stop() {
          w.stop()
          if (watching === w) watching = null
        },
      }
    },
    async close() {
      watching?.stop()
      watching = null
    },
  }
}

/**
 * A listener on a list property of the system object (devices, process objects) and one on a
 * property of each item in it, kept in step as items come and go.
 */
export function watchEach(
  hal: HalObjects,
  list: PropertyAddress,
  each: PropertyAddress,
  onChange: () => void,
): { start(): void; stop(): void } {
  const removers = new Map<number, () => void>()
  let stopped = false
  const follow = () => {
    const ids = new Set(hal.uint32List(HAL.SYSTEM_OBJECT, list))
    for (const [id, remove] of removers) {
      if (id !== -1 && !ids.has(id)) {
        optional(remove, undefined)
        removers.delete(id)
      }
    }
    for (const id of ids) if (!removers.has(id)) removers.set(id, hal.listen(id, each, onChange))
  }
  return {
    start() {
      removers.set(
        -1,
        hal.listen(HAL.SYSTEM_OBJECT, list, () => {
          if (stopped) return
          // A failure here is caught up by the next change or the reconciliation read.
          optional(follow, undefined)
          onChange()
        }),
      )
      follow()
    },
    stop() {
      stopped = true
      for (const remove of removers.values()) optional(remove, undefined)
      removers.clear()
    },
  }
}
