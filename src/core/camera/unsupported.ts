// For platforms CamGuard has no detector for: say so on every snapshot instead of claiming "off".
import { systemClock } from '../ports.js'
import type { CameraDetector, Clock } from '../ports.js'
import { unknownSnapshot } from './os-command.js'

export const UNSUPPORTED_DETECTOR = 'unsupported'

export function createUnsupportedDetector(platform: string, clock: Clock = systemClock): CameraDetector {
  const error = `CamGuard cannot watch the camera on ${platform || 'this system'} yet`
  return {
    name: UNSUPPORTED_DETECTOR,
    async snapshot() {
      return unknownSnapshot(UNSUPPORTED_DETECTOR, clock, error)
    },
    async close() {},
  }
}
