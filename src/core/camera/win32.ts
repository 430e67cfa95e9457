// Windows: the privacy settings' "recent activity" record (the ConsentStore), read in-process with
// the registry API and checked against the running processes (consent-store.ts). The record is the
// only one that names the app without admin rights or a driver. A change to it wakes the monitor
// (RegNotifyChangeKeyValue); a slow full read catches the rest. No process is started per check.
import { systemClock } from '../ports.js'
import type { CameraDetector, Clock, DetectorDiagnosis, DetectorWatch } from '../ports.js'
import type { Camera, CameraSnapshot } from '../../shared/types.js'
import { koffiVersion, type Loaded } from '../native/koffi.js'
import { loadWinNative, type Capability, type Hive, type WinNative } from '../native/win32.js'
import { judgeConsent, readConsent } from './consent-store.js'
import { errorMessage, unknownSnapshot } from './os-command.js'

export const WIN32_DETECTOR = 'win32-consent'
export const WIN32_CAMERA_ID = 'win32-webcam'
export const WIN32_MICROPHONE_ID = 'win32-microphone'

// The same store has a key per device kind: the camera's and the microphone's detectors differ only here.
const KINDS: Record<Capability, { id: string; name: string; word: string }> = {
  webcam: { id: WIN32_CAMERA_ID, name: 'Camera', word: 'camera' },
  microphone: { id: WIN32_MICROPHONE_ID, name: 'Microphone', word: 'microphone' },
}

export interface Win32DetectorDeps {
  clock?: Clock
  /** The registry and process calls; default: the real ones through koffi. */
  native?: Loaded<WinNative>
  /** While watching and the camera is off, a full read this often catches what events missed. Default 30 s. */
  reconcileMs?: number
  /** Which key of the store: 'webcam' (default) or 'microphone'. */
  capability?: Capability
}

export function createWin32Detector(deps: Win32DetectorDeps = {}): CameraDetector {
  const clock = deps.clock ?? systemClock
  const native = deps.native ?? loadWinNative()
  const reconcileMs = deps.reconcileMs ?? 30_000
  const capability = deps.capability ?? 'webcam'
  const kind = KINDS[capability]
  let closed = false
  let lastState: CameraSnapshot['state'] = 'off'
  let watching: { close(): void; mode: 'event' | 'poll'; why: string } | null = null

  function snapshot(): CameraSnapshot {
    if (closed) return unknownSnapshot(WIN32_DETECTOR, clock, `the Windows ${kind.word} detector was closed`)
    if (!native.ok)
      return unknownSnapshot(
        WIN32_DETECTOR,
        clock,
        `cannot ask Windows about the ${kind.word}: ${native.error}`,
      )
    const mode = watching?.mode ?? 'event'
    const read = readConsent(native.value, capability)
    if (read.error) return { ...unknownSnapshot(WIN32_DETECTOR, clock, read.error), mode }
    let processes: ReturnType<WinNative['listProcesses']> | Error = []
    // The process list is needed only to check records that say "in use".
    if (read.entries.some((e) => e.inUse)) {
      try {
        processes = native.value.listProcesses()
      } catch (err) {
        processes = new Error(errorMessage(err))
      }
    }
    const verdict = judgeConsent(read.entries, processes, capability)
    const warnings = [...read.warnings, ...verdict.warnings]
    if (verdict.unknown) return { ...unknownSnapshot(WIN32_DETECTOR, clock, verdict.unknown, warnings), mode }
    const inUse = verdict.users.length > 0
    // The record names apps, not devices: one "Camera" (or "Microphone") for all of them.
    const camera: Camera = { id: kind.id, name: kind.name, devices: [], inUse, users: verdict.users }
    return {
      state: inUse ? 'on' : 'off',
      checkedAt: new Date(clock.now()).toISOString(),
      cameras: [camera],
      warnings,
      detector: WIN32_DETECTOR,
      mode,
    }
  }

  function startWatch(win: WinNative, onChange: () => void): NonNullable<typeof watching> {
    const handles: { close(): void }[] = []
    const problems: string[] = []
    for (const hive of ['HKCU', 'HKLM'] as Hive[]) {
      try {
        handles.push(win.watchConsentStore(hive, capability, onChange))
      } catch (err) {
        problems.push(`${hive}: ${errorMessage(err)}`)
      }
    }
    const close = () => handles.splice(0).forEach((h) => h.close())
    if (handles.length === 0)
      return {
        close,
        mode: 'poll',
        why: `the registry cannot be watched (${problems.join('; ')}); checking on a timer`,
      }
    return {
      close,
      mode: 'event',
      why: `Windows tells CamGuard when its ${kind.word} record changes (RegNotifyChangeKeyValue); while an app uses the ${kind.word}, the processes are checked on every poll`,
    }
  }

  return {
    name: WIN32_DETECTOR,
    async snapshot() {
      let s: CameraSnapshot
      try {
        s = snapshot()
      } catch (err) {
        s = unknownSnapshot(
          WIN32_DETECTOR,
          clock,
          `the Windows ${kind.word} check failed: ${errorMessage(err)}`,
        )
      }
      lastState = s.state
      return s
    },
    async watch(onChange): Promise<DetectorWatch> {
      watching?.close()
      const w = native.ok
        ? startWatch(native.value, onChange)
        : { close() {}, mode: 'poll' as const, why: native.error }
      watching = w
      return {
        get mode() {
          return w.mode
        },
        // An app that crashes while using the camera changes no record: while the camera is on,
        // the monitor's own interval re-checks the processes (in-process, no program started).
        intervalMs: () => (w.mode === 'event' && lastState === 'off' ? reconcileMs : null),
        async stop() {
          w.close()
          if (watching === w) watching = null
        },
      }
    },
    async diagnose(): Promise<DetectorDiagnosis> {
      let hidden = 0
      let listError: string | null = null
      if (native.ok) {
        try {
          hidden = native.value.listProcesses().filter((p) => p.pid !== 0 && p.path === null).length
        } catch (err) {
          listError = errorMessage(err)
        }
      }
      return {
        native: native.ok
          ? {
              ok: true,
              detail: `registry (advapi32) and process list (kernel32) through koffi ${koffiVersion()}`,
            }
          : { ok: false, detail: native.error },
        mode: watching?.mode ?? (native.ok ? 'event' : 'poll'),
        modeWhy:
          watching?.why ??
          (native.ok ? 'registry change notifications (while a monitor runs)' : native.error),
        rights: [
          listError
            ? `The running programs cannot be listed (${listError}): an app Windows reports cannot be confirmed.`
            : `${hidden} running processes (other users' or elevated) hide their program path; those are matched by file name only.`,
        ],
      }
    },
    async close() {
      closed = true
      watching?.close()
      watching = null
    },
  }
}
