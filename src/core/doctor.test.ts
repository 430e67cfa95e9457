import { describe, expect, it } from 'vitest'
import {
  fakeMac,
  fakeRunner,
  fakeStreams,
  fixture,
  type CmioRecording,
} from '../../tests/support/native-fakes.js'
import { createDarwinDetector } from './camera/darwin.js'
import { createUnsupportedDetector } from './camera/unsupported.js'
import { runDoctor, systemName } from './doctor.js'

describe('runDoctor', () => {
  it('says detection does not work where the state is unknown, with the reason', async () => {
    const report = await runDoctor({
      detector: createUnsupportedDetector('freebsd'),
      platform: 'freebsd',
      version: '1.0.0',
    })
    expect(report).toMatchObject({
      ok: false,
      state: 'unknown',
      error: expect.stringMatching(/freebsd/),
      mode: 'poll',
    })
  })

  it("gives a macOS detector's account: listeners, virtual cameras, and no names without admin rights", async () => {
    const mac = fakeMac(fixture<CmioRecording>('darwin/cmio-devices.json'))
    const detector = createDarwinDetector({
      runner: fakeRunner().runner,
      spawnLines: fakeStreams().spawnLines,
      native: mac.loaded,
      administrator: false,
      pumpRunLoop: true,
    })
    const report = await runDoctor({
      detector,
      platform: 'darwin',
      version: '1.0.0',
      systemName: () => 'macOS 15.1',
    })
    expect(report).toMatchObject({
      ok: true,
      state: 'on',
      detector: 'darwin-coremediaio',
      mode: 'event',
      modeWhy: expect.stringMatching(/CoreMediaIO listeners, with Core Foundation's run loop pumped/),
    })
    expect(report.cameras.filter((c) => c.virtual).map((c) => c.name)).toEqual(['OBS Virtual Camera'])
    expect(report.rights.join(' ')).toMatch(/Not an administrator/)
    expect(report.warnings.join(' ')).toMatch(/only to administrator accounts/)
    expect(mac.listeners).toEqual([]) // the watch it started is gone
  })

  it("reads the system's own name without starting a program", () => {
    expect(systemName('linux').length).toBeGreaterThan(0)
  })
})
