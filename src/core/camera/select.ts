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
}

/** CAMGUARD_DETECTION=poll forces timed polling (for comparison and for systems where inotify misbehaves). */
export function detectionFrom(env: NodeJS.ProcessEnv): 'auto' | 'poll' {
  return env.CAMGUARD_DETECTION?.trim().toLowerCase() === 'poll' ? 'poll' : 'auto'
}

/** The one place that picks the detector for the platform. No detector means 'unknown', never 'off'. */
export function createDetector(choice: DetectorChoice): CameraDetector {
  const runner = choice.runner ?? execRunner
  const clock = choice.clock ? { clock: choice.clock } : {}
  switch (choice.platform) {
    case 'linux':
      return createLinuxDetector({
        devicePatterns: choice.devicePatterns,
        runner,
        detection: choice.detection ?? detectionFrom(choice.env ?? process.env),
        ...clock,
      })
    case 'win32':
      return createWin32Detector({ runner, ...clock })
    case 'darwin':
      return createDarwinDetector({ runner, ...clock })
    default:
      return createUnsupportedDetector(choice.platform, choice.clock)
  }
}
