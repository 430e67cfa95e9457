import { describe, expect, it } from 'vitest'
import type { Runner } from '../ports.js'
import { createDetector } from './select.js'

const failing: Runner = async () => ({
  code: null,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  spawnError: 'ENOENT',
})

describe('createDetector', () => {
  it.each([
    ['linux', 'linux-proc'],
    ['win32', 'win32-consent'],
    ['darwin', 'darwin-coremediaio'],
    ['freebsd', 'unsupported'],
  ] as const)('picks the %s detector', async (platform, name) => {
    const d = createDetector({ platform, devicePatterns: () => ['/nonexistent/video*'], runner: failing })
    expect(d.name).toBe(name)
    await d.close()
  })

  it('says unknown, never off, where there is no detector or its native calls cannot load', async () => {
    for (const platform of ['freebsd', 'win32', 'darwin'] as const) {
      const d = createDetector({ platform, devicePatterns: () => [], runner: failing })
      const s = await d.snapshot()
      await d.close()
      expect(s.state, platform).toBe('unknown')
      expect(s.error, platform).toBeTruthy()
    }
  })
})
