import type { CameraDetector, Clock, Runner } from '../ports.js'
import { execRunner } from '../runner.js'
import { createLinuxDetector } from './linux.js'

export interface DetectorChoice {
  platform: NodeJS.Platform
  devicePatterns: () => readonly string[]
  runner?: Runner
  clock?: Clock
}

/** The one place that picks the detector for the platform. No detector means 'unknown', never 'off'. */
export function createDetector(choice: DetectorChoice): CameraDetector {
  const runner = choice.runner ?? execRunner
  switch (choice.platform) {
    case 'linux':
      return createLinuxDetector({
        devicePatterns: choice.devicePatterns,
        runner,
        ...(choice.clock ? { clock: choice.clock } : {}),
      })
    default:
      return {
        name: 'unsupported',
        async close() {},
        async snapshot() {
          return {
            state: 'unknown',
            checkedAt: new Date().toISOString(),
            cameras: [],
            warnings: [],
            detector: 'unsupported',
            error: `CamGuard cannot watch the camera on ${choice.platform} yet.`,
          }
        },
      }
  }
}
