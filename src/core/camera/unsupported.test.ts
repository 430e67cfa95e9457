import { describe, expect, it } from 'vitest'
import { createUnsupportedDetector } from './unsupported.js'

describe('createUnsupportedDetector', () => {
  it('always says unknown and names the platform, never off', async () => {
    const clock = { now: () => Date.parse('2024-05-14T10:00:00Z'), setTimeout, clearTimeout }
    const detector = createUnsupportedDetector('freebsd', clock)
    const snap = await detector.snapshot()
    expect(snap).toEqual({
      state: 'unknown',
      checkedAt: '2024-05-14T10:00:00.000Z',
      cameras: [],
      warnings: [],
      detector: 'unsupported',
      mode: 'poll',
      error: 'CamGuard cannot watch the camera on freebsd yet',
    })
    await detector.close()
    expect((await detector.snapshot()).state).toBe('unknown')
  })
})
