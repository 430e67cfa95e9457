// One detector for the engine, from the camera's and the microphone's: its snapshot is the camera's
// with the microphone's part in `microphone` (while microphone watching is on). A failure of one
// never hides the other, and a microphone that cannot be read is unknown, never off.
import type { CameraSnapshot, DetectionMode } from '../../shared/types.js'
import { errorMessage } from '../files.js'
import type { CameraDetector, DetectorWatch } from '../ports.js'

export type MicrophonePart = NonNullable<CameraSnapshot['microphone']>

/** A microphone snapshot as the `microphone` part of the engine's snapshot. */
export function microphonePart(mic: CameraSnapshot): MicrophonePart {
  return {
    state: mic.state,
    devices: mic.cameras,
    ...(mic.error ? { error: mic.error } : {}),
  }
}

export function withMicrophone(
  camera: CameraDetector,
  microphone: CameraDetector,
  /** Read on every snapshot: the watchMicrophone setting. */
  enabled: () => boolean,
): CameraDetector {
  let onChange: (() => void) | null = null
  let micWatch: DetectorWatch | null = null
  let micWatching: Promise<void> | null = null

  async function readMicrophone(): Promise<{ part: MicrophonePart; warnings: string[] }> {
    try {
      const s = await microphone.snapshot()
      return { part: microphonePart(s), warnings: s.warnings.map((w) => `Microphone: ${w}`) }
    } catch (err) {
      return { part: { state: 'unknown', devices: [], error: errorMessage(err) }, warnings: [] }
    }
  }

  /** Starts or stops the microphone's watch to follow the setting, while a monitor watches. */
  async function followSetting(): Promise<void> {
    if (!onChange) return
    if (enabled() && !micWatch && !micWatching) {
      const change = onChange
      micWatching =
        microphone
          .watch?.(() => onChange?.())
          .then((w) => {
            if (onChange === change) micWatch = w
            else void w.stop()
          })
          .catch(() => undefined)
          .finally(() => (micWatching = null)) ?? null
      await micWatching
    } else if (!enabled() && micWatch) {
      const w = micWatch
      micWatch = null
      await w.stop()
    }
  }

  const mode = (cam: DetectionMode): DetectionMode =>
    cam === 'event' && (!enabled() || micWatch?.mode === 'event') ? 'event' : 'poll'

  return {
    name: camera.name,
    async snapshot() {
      await followSetting()
      const [cam, mic] = await Promise.all([
        camera.snapshot(),
        enabled() ? readMicrophone() : Promise.resolve(null),
      ])
      if (!mic) return cam
      return { ...cam, warnings: [...cam.warnings, ...mic.warnings], microphone: mic.part }
    },
    async watch(change) {
      onChange = change
      const camWatch = await camera.watch?.(change)
      await followSetting()
      return {
        get mode() {
          return mode(camWatch?.mode ?? 'poll')
        },
        intervalMs() {
          // A part without a watch of its own wants the monitor's interval; else the shorter wait.
          const cam = camWatch ? camWatch.intervalMs() : null
          if (cam === null || !enabled()) return cam
          const mic = micWatch ? micWatch.intervalMs() : null
          return mic === null ? null : Math.min(cam, mic)
        },
        async stop() {
          onChange = null
          const w = micWatch
          micWatch = null
          await Promise.all([camWatch?.stop(), w?.stop()])
        },
      }
    },
    async close() {
      onChange = null
      await Promise.all([camera.close(), microphone.close()])
    },
    ...(camera.diagnose ? { diagnose: () => camera.diagnose!() } : {}),
  }
}
