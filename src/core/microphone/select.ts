import type { CameraDetector, Clock, Runner } from '../ports.js'
import { execRunner } from '../runner.js'
import { alertVirtualFrom, detectionFrom } from '../camera/select.js'
import { unknownSnapshot } from '../camera/os-command.js'
import { systemClock } from '../ports.js'
import { createWin32Detector } from '../camera/win32.js'
import type { Loaded } from '../native/koffi.js'
import type { WinNative } from '../native/win32.js'
import type { MacAudioNative } from '../native/coreaudio.js'
import { createDarwinMicDetector } from './darwin.js'
import { createLinuxMicDetector } from './linux.js'

export interface MicDetectorChoice {
  platform: NodeJS.Platform
  /** The ALSA capture node patterns (Linux). */
  devicePatterns: () => readonly string[]
  runner?: Runner
  clock?: Clock
  detection?: 'auto' | 'poll'
  env?: NodeJS.ProcessEnv
  /** The Windows registry and process calls; default: the real ones through koffi. */
  win32?: Loaded<WinNative>
  /** CoreAudio's calls; default: the real ones through koffi. */
  darwin?: Loaded<MacAudioNative>
  /** Whether a run loop already runs on this thread (Electron's main process); default: detected. */
  hasRunLoop?: boolean
  /** The alertVirtualDevices setting, asked at each check (macOS); CAMGUARD_VIRTUAL_CAMERAS overrides it. */
  alertVirtualDevices?: () => boolean
}

/** The one place that picks the microphone detector for the platform. None means 'unknown', never 'off'. */
export function createMicDetector(choice: MicDetectorChoice): CameraDetector {
  const env = choice.env ?? process.env
  const clock = choice.clock ?? systemClock
  switch (choice.platform) {
    case 'linux':
      return createLinuxMicDetector({
        devicePatterns: choice.devicePatterns,
        env,
        runner: choice.runner ?? execRunner,
        clock,
        detection: choice.detection ?? detectionFrom(env),
      })
    case 'win32':
      // The camera's detector on the store's other key: one reader for both.
      return createWin32Detector({
        capability: 'microphone',
        clock,
        ...(choice.win32 ? { native: choice.win32 } : {}),
      })
    case 'darwin':
      return createDarwinMicDetector({
        clock,
        ...(choice.darwin ? { native: choice.darwin } : {}),
        // As for the camera: a plain Node process runs no Core Foundation run loop; Electron does.
        pumpRunLoop: !(choice.hasRunLoop ?? process.versions.electron !== undefined),
        alertVirtual: alertVirtualFrom(env, choice.alertVirtualDevices),
      })
    default: {
      const error = `CamGuard cannot watch the microphone on ${choice.platform || 'this system'} yet`
      return {
        name: 'unsupported',
        snapshot: async () => unknownSnapshot('unsupported', clock, error),
        close: async () => undefined,
      }
    }
  }
}
