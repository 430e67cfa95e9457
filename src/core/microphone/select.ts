import type { CameraDetector, Clock, Runner } from '../ports.js'
import { execRunner } from '../runner.js'
import { detectionFrom } from '../camera/select.js'
import { unknownSnapshot } from '../camera/os-command.js'
import { systemClock } from '../ports.js'
import { createLinuxMicDetector } from './linux.js'

export interface MicDetectorChoice {
  platform: NodeJS.Platform
  /** The ALSA capture node patterns (Linux). */
  devicePatterns: () => readonly string[]
  runner?: Runner
  clock?: Clock
  detection?: 'auto' | 'poll'
  env?: NodeJS.ProcessEnv
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
