import type { CameraDetector, Clock, Runner } from '../ports.js'
import { execRunner } from '../runner.js'
import { createDarwinDetector } from './darwin.js'
import { createLinuxDetector } from './linux.js'
import { createUnsupportedDetector } from './unsupported.js'
import { createWin32Detector } from './win32.js'

export interface DetectorChoice {
  platform: NodeJS.Platform
  devicePatterns: () => readonly string[]
  runner?: Runner
  clock?: Clock
  /** 'poll' turns event-driven detection off; default: CAMGUARD_DETECTION from the environment. */
  detection?: 'auto' | 'poll'
  env?: NodeJS.ProcessEnv
  /** Whether a run loop already runs on this thread (Electron's main process); default: detected. */
  hasRunLoop?: boolean
  /** The alertVirtualDevices setting, asked at each check (macOS); CAMGUARD_VIRTUAL_CAMERAS overrides it. */
  alertVirtualDevices?: () => boolean
}

/** CAMGUARD_DETECTION=poll forces timed polling (for comparison and for systems where inotify misbehaves). */
export function detectionFrom(env: NodeJS.ProcessEnv): 'auto' | 'poll' {
  return env.CAMGUARD_DETECTION?.trim().toLowerCase() === 'poll' ? 'poll' : 'auto'
}

/** CAMGUARD_VIRTUAL_CAMERAS=alert: a virtual camera in use (OBS, Camo) turns the camera on and alerts. */
export function virtualCamerasFrom(env: NodeJS.ProcessEnv): boolean {
  return env.CAMGUARD_VIRTUAL_CAMERAS?.trim().toLowerCase() === 'alert'
}

/**
 * Whether virtual cameras and microphones alert, asked at each check: CAMGUARD_VIRTUAL_CAMERAS=alert
 * overrides the alertVirtualDevices setting (it was the only way before the setting).
 */
export function alertVirtualFrom(env: NodeJS.ProcessEnv, setting?: () => boolean): () => boolean {
  const forced = virtualCamerasFrom(env)
  return () => forced || (setting?.() ?? false)
}

/** The one place that picks the detector for the platform. No detector means 'unknown', never 'off'. */
export function createDetector(choice: DetectorChoice): CameraDetector {
  const runner = choice.runner ?? execRunner
  const clock = choice.clock ? { clock: choice.clock } : {}
  const env = choice.env ?? process.env
  switch (choice.platform) {
    case 'linux':
      return createLinuxDetector({
        devicePatterns: choice.devicePatterns,
        runner,
        detection: choice.detection ?? detectionFrom(env),
        ...clock,
      })
    case 'win32':
      return createWin32Detector({ ...clock })
    case 'darwin':
      return createDarwinDetector({
        runner,
        ...clock,
        // A plain Node process runs no Core Foundation run loop; Electron's main process does.
        pumpRunLoop: !(choice.hasRunLoop ?? process.versions.electron !== undefined),
        alertVirtualCameras: alertVirtualFrom(env, choice.alertVirtualDevices),
      })
    default:
      return createUnsupportedDetector(choice.platform, choice.clock)
  }
}
