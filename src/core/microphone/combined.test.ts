import { describe, expect, it } from 'vitest'
import type { DetectorWatch } from '../ports.js'
import { ScriptedDetector, app } from '../../../tests/support/scripted-detector.js'
import { withMicrophone } from './combined.js'

/** A scripted detector that also watches: records its watches and their stops. */
class WatchingDetector extends ScriptedDetector {
  watches = 0
  stops = 0
  constructor(
    private readonly watchMode: 'event' | 'poll',
    private readonly interval: number | null,
  ) {
    super()
  }
  async watch(): Promise<DetectorWatch> {
    this.watches++
    return {
      mode: this.watchMode,
      intervalMs: () => this.interval,
      stop: async () => {
        this.stops++
      },
    }
  }
}

describe('withMicrophone', () => {
  it('adds the microphone to the camera snapshot, and its warnings, named', async () => {
    const cam = new ScriptedDetector()
    const mic = new ScriptedDetector()
    mic.set('on', [app('arecord', 77)])
    const d = withMicrophone(cam, mic, () => true)
    const s = await d.snapshot()
    expect(s.state).toBe('off')
    expect(s.microphone).toEqual({
      state: 'on',
      devices: [expect.objectContaining({ inUse: true, users: [app('arecord', 77)] })],
    })
  })

  it('makes a microphone that fails unknown, never off, and leaves the camera alone', async () => {
    const cam = new ScriptedDetector()
    cam.set('on', [app('zoom')])
    const mic = new ScriptedDetector()
    mic.throws = true
    const s = await withMicrophone(cam, mic, () => true).snapshot()
    expect(s.state).toBe('on')
    expect(s.microphone).toEqual({ state: 'unknown', devices: [], error: 'detector exploded' })
    mic.throws = false
    mic.set('unknown')
    expect((await withMicrophone(cam, mic, () => true).snapshot()).microphone).toMatchObject({
      state: 'unknown',
      error: 'scripted failure',
    })
  })

  it('does not look at the microphone while microphone watching is off', async () => {
    const mic = new ScriptedDetector()
    const s = await withMicrophone(new ScriptedDetector(), mic, () => false).snapshot()
    expect(s.microphone).toBeUndefined()
    expect(mic.calls).toBe(0)
  })

  it('starts and stops the microphone watch as the setting changes, and waits as the slower part needs', async () => {
    let on = false
    const cam = new WatchingDetector('event', 30_000)
    const mic = new WatchingDetector('event', 20_000)
    const d = withMicrophone(cam, mic, () => on)
    const w = await d.watch!(() => undefined)
    expect(mic.watches).toBe(0)
    expect(w.intervalMs()).toBe(30_000)
    on = true
    await d.snapshot()
    expect(mic.watches).toBe(1)
    expect(w.mode).toBe('event')
    expect(w.intervalMs()).toBe(20_000)
    on = false
    await d.snapshot()
    expect(mic.stops).toBe(1)
    await w.stop()
    expect(cam.stops).toBe(1)
  })

  it('polls when either part can only poll', async () => {
    const cam = new WatchingDetector('event', 30_000)
    const d = withMicrophone(cam, new WatchingDetector('poll', null), () => true)
    const w = await d.watch!(() => undefined)
    expect(w.mode).toBe('poll')
    expect(w.intervalMs()).toBeNull()
    // A microphone detector with no watch at all is polled on the monitor's interval too.
    const w2 = await withMicrophone(cam, new ScriptedDetector(), () => true).watch!(() => undefined)
    expect([w2.mode, w2.intervalMs()]).toEqual(['poll', null])
  })
})
