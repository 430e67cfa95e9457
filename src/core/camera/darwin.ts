// macOS: whether a camera is on comes from CoreMediaIO, called in-process through koffi
// (src/core/native/darwin.ts): the video devices (kCMIOHardwarePropertyDevices) and, per device,
// kCMIODevicePropertyDeviceIsRunningSomewhere, the flag behind the camera's green light. Listeners
// on both tell the monitor the moment something changes; a slow full read every 30 s catches what
// they miss. Which app: darwin-log.ts. No process is started per check.
import { systemClock } from '../ports.js'
import type { CameraDetector, Clock, DetectorDiagnosis, DetectorWatch, Runner } from '../ports.js'
import type { Camera, CameraSnapshot, CameraUser } from '../../shared/types.js'
import { HAL, TRANSPORT, globalAddress, loadMacNative, type MacNative } from '../native/darwin.js'
import { koffiVersion, type Loaded } from '../native/koffi.js'
import { createAppNamer, UNKNOWN_APP, type AppNamer, type AppNamerDeps } from './darwin-log.js'
import { errorMessage, unknownSnapshot } from './os-command.js'

export const DARWIN_DETECTOR = 'darwin-coremediaio'
export { UNKNOWN_APP }

export interface CmioDevice {
  id: number
  uid: string
  name: string
  /** kCMIODevicePropertyTransportType, or null when the device does not say. */
  transport: number | null
  running: boolean
  virtual: boolean
}

// Virtual cameras (OBS, Camo, Snap Camera) say 'virt' when their author set it; many do not, so
// the name counts too (as OverSight does).
const VIRTUAL_NAME = /\bvirtual\b/i

/** Reads every video device CoreMediaIO lists. Throws the first failing call (an unknown). */
export function readCmioDevices(native: MacNative): { devices: CmioDevice[]; problems: string[] } {
  const { cmio } = native
  const ids = cmio.uint32List(HAL.SYSTEM_OBJECT, globalAddress(HAL.DEVICES))
  const devices: CmioDevice[] = []
  const problems: string[] = []
  for (const id of ids) {
    let running: boolean
    try {
      running = cmio.uint32(id, globalAddress(HAL.IS_RUNNING_SOMEWHERE)) !== 0
    } catch (err) {
      problems.push(`camera ${id}: ${errorMessage(err)}`)
      continue
    }
    const optional = <T>(read: () => T, fallback: T): T => {
      try {
        return read()
      } catch {
        return fallback
      }
    }
    const name = optional(() => cmio.string(id, globalAddress(HAL.NAME)), '') || `Camera ${id}`
    const uid = optional(() => cmio.string(id, globalAddress(HAL.DEVICE_UID)), '') || String(id)
    const transport = optional<number | null>(() => cmio.uint32(id, globalAddress(HAL.TRANSPORT_TYPE)), null)
    const virtual = transport === TRANSPORT.VIRTUAL || VIRTUAL_NAME.test(name)
    devices.push({ id, uid, name, transport, running, virtual })
  }
  return { devices, problems }
}

export interface DarwinDetectorDeps extends Omit<AppNamerDeps, 'clock'> {
  runner: Runner
  clock?: Clock
  /** The CoreMediaIO binding; default: the real one through koffi. */
  native?: Loaded<MacNative>
  /**
   * Pump Core Foundation's run loop before each read and while watching, for a process that runs
   * none (plain Node: the CLI). Electron's main process runs one: leave it off there.
   */
  pumpRunLoop?: boolean
  /** Whether a virtual camera in use turns the camera on (and alerts); a function is asked at each check. Default false. */
  alertVirtualCameras?: boolean | (() => boolean)
  /** While watching, a full read this often catches anything the listeners missed. Default 30 s. */
  reconcileMs?: number
  /** While watching in a process without a run loop, how often it is pumped. Default 500 ms. */
  pumpMs?: number
}

export function createDarwinDetector(deps: DarwinDetectorDeps): CameraDetector {
  const clock = deps.clock ?? systemClock
  const native = deps.native ?? loadMacNative()
  const reconcileMs = deps.reconcileMs ?? 30_000
  const pumpMs = deps.pumpMs ?? 500
  const alertVirtualNow = () => {
    const given = deps.alertVirtualCameras ?? false
    return typeof given === 'function' ? given() : given
  }
  const namer: AppNamer = createAppNamer({ ...deps, clock })
  let closed = false
  let watching: { stop(): void; mode: 'event' | 'poll'; why: string } | null = null

  function pump(): void {
    if (deps.pumpRunLoop && native.ok) native.value.pumpRunLoop()
  }

  async function snapshot(): Promise<CameraSnapshot> {
    const mode = watching?.mode ?? (native.ok ? 'event' : 'poll')
    if (closed) return unknownSnapshot(DARWIN_DETECTOR, clock, 'the macOS camera detector was closed')
    if (!native.ok)
      return unknownSnapshot(DARWIN_DETECTOR, clock, `cannot ask macOS about the camera: ${native.error}`)
    pump()
    let read: ReturnType<typeof readCmioDevices>
    try {
      read = readCmioDevices(native.value)
    } catch (err) {
      return unknownSnapshot(
        DARWIN_DETECTOR,
        clock,
        `cannot ask macOS about the camera: ${errorMessage(err)}`,
      )
    }
    const { devices, problems } = read
    // Read at each check: a change in the settings applies without a restart.
    const alertVirtual = alertVirtualNow()
    const warnings: string[] = []
    const standing = namer.standingWarning()
    if (standing) warnings.push(standing)
    const counts = (d: CmioDevice) => d.running && (!d.virtual || alertVirtual)
    const anyInUse = devices.some(counts)
    const named = await namer.users(anyInUse)
    if (anyInUse && named.length === 0 && !standing) warnings.push(namer.unnamedReason())
    const usersFor = (): CameraUser[] =>
      named.length > 0
        ? named.map((u) => ({ ...u }))
        : [{ pid: null, name: UNKNOWN_APP, exe: null, evidence: 'os-report' }]

    const cameras: Camera[] = devices.map((d) => ({
      id: d.uid,
      name: d.name,
      devices: [d.uid],
      inUse: d.running,
      // The log names apps, not devices: every busy camera gets every app the log lists.
      users: d.running ? usersFor() : [],
      ...(d.virtual ? { virtual: true } : {}),
    }))
    for (const d of devices) {
      if (d.running && d.virtual && !alertVirtual)
        warnings.push(
          `${d.name} is a virtual camera and reports being in use; that says nothing about the real camera, so it does not alert (to be told, turn on "Alert for virtual cameras and microphones" in Settings, or run: camguard config set alertVirtualDevices true).`,
        )
    }
    const virtualBusy = devices.some((d) => d.running && d.virtual)
    if (!anyInUse && named.length > 0 && !virtualBusy) {
      // Control Center's dot is on for a camera CoreMediaIO does not show running (a driver-level
      // camera, or a moment between two reports): tell, rather than say off.
      cameras.push({
        id: 'darwin-control-center',
        name: 'Camera (reported by Control Center)',
        devices: [],
        inUse: true,
        users: named,
      })
      warnings.push('Control Center reports the camera in use, but no camera CoreMediaIO lists is running.')
    }
    const on = cameras.some((c) => c.inUse && (!c.virtual || alertVirtual))
    if (problems.length > 0) {
      const error = `macOS did not say whether every camera is in use (${problems.join('; ')})`
      if (!on) return unknownSnapshot(DARWIN_DETECTOR, clock, error, warnings)
      warnings.push(error)
    }
    if (devices.length === 0 && named.length === 0) warnings.push('macOS lists no camera.')
    return {
      state: on ? 'on' : 'off',
      checkedAt: new Date(clock.now()).toISOString(),
      cameras,
      warnings,
      detector: DARWIN_DETECTOR,
      mode,
    }
  }

  /** Listens for devices coming and going and for each device's running flag. */
  function startWatch(
    native: MacNative,
    onChange: () => void,
  ): { stop(): void; mode: 'event' | 'poll'; why: string } {
    const removers = new Map<number, () => void>()
    const timers: unknown[] = []
    let stopped = false
    const listenDevices = () => {
      const ids = new Set(native.cmio.uint32List(HAL.SYSTEM_OBJECT, globalAddress(HAL.DEVICES)))
      for (const [id, remove] of removers) {
        if (id !== HAL.SYSTEM_OBJECT && !ids.has(id)) {
          remove()
          removers.delete(id)
        }
      }
      for (const id of ids) {
        if (!removers.has(id))
          removers.set(id, native.cmio.listen(id, globalAddress(HAL.IS_RUNNING_SOMEWHERE), onChange))
      }
    }
    const stop = () => {
      stopped = true
      for (const t of timers) clock.clearTimeout(t)
      for (const remove of removers.values()) {
        try {
          remove()
        } catch {
          // the device went away
        }
      }
      removers.clear()
    }
    try {
      removers.set(
        HAL.SYSTEM_OBJECT,
        native.cmio.listen(HAL.SYSTEM_OBJECT, globalAddress(HAL.DEVICES), () => {
          if (stopped) return
          try {
            listenDevices()
          } catch {
            // the reconciliation read and the next change try again
          }
          onChange()
        }),
      )
      listenDevices()
    } catch (err) {
      stop()
      return {
        stop,
        mode: 'poll',
        why: `CoreMediaIO listeners could not be set (${errorMessage(err)}); checking on a timer`,
      }
    }
    if (deps.pumpRunLoop) {
      // No run loop runs in this process: let Core Foundation deliver listener calls now and then.
      const tick = () => {
        if (stopped) return
        pump()
        timers[0] = clock.setTimeout(tick, pumpMs)
      }
      timers[0] = clock.setTimeout(tick, pumpMs)
    }
    return {
      stop,
      mode: 'event',
      why: deps.pumpRunLoop
        ? `CoreMediaIO listeners, with Core Foundation's run loop pumped every ${pumpMs} ms (no run loop runs in a plain Node process)`
        : 'CoreMediaIO listeners on the devices and their running flag',
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
    async watch(onChange): Promise<DetectorWatch> {
      watching?.stop()
      namer.start(onChange)
      const w = native.ok
        ? startWatch(native.value, onChange)
        : { stop() {}, mode: 'poll' as const, why: native.error }
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
    async diagnose(): Promise<DetectorDiagnosis> {
      const why = watching?.why ?? (native.ok ? 'CoreMediaIO listeners (while a monitor runs)' : native.error)
      return {
        native: native.ok
          ? { ok: true, detail: `CoreMediaIO through koffi ${koffiVersion()}` }
          : { ok: false, detail: native.error },
        mode: watching?.mode ?? (native.ok ? 'event' : 'poll'),
        modeWhy: why,
        rights: [
          namer.administrator
            ? 'Administrator account: apps using the camera are named from the system log.'
            : 'Not an administrator account: apps using the camera cannot be named (macOS shows its log only to administrators).',
        ],
      }
    },
    async close() {
      closed = true
      watching?.stop()
      watching = null
      namer.close()
    },
  }
}
