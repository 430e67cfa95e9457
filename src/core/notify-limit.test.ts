// The notification limit: a property over any alerts at any times, and the storm of the bug report
// (reminders every few milliseconds) through the real engine on a manual clock.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fixedSettings } from '../../tests/support/fixed-settings.js'
import { ManualClock } from '../../tests/support/manual-clock.js'
import { ScriptedDetector, app } from '../../tests/support/scripted-detector.js'
import { DEFAULT_SETTINGS } from '../shared/settings.js'
import { createEngine } from './engine.js'
import { NOTIFY_LIMITS, rateLimited } from './notify-limit.js'
import type { Alert, AlertKind } from './ports.js'

const alertOf = (kind: AlertKind): Alert => ({
  kind,
  device: 'camera',
  urgency: kind === 'unexpected' ? 'critical' : 'normal',
  title: 't',
  body: 'b',
  apps: [],
  reasons: [],
  at: '2026-11-28T12:00:00.000Z',
  actions: [],
  targets: { stop: [], trust: [], refused: [] },
})

describe('rateLimited', () => {
  it('shows at most a few notifications a minute, and one reminder, for any alerts at any times', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 30_000 }),
            kind: fc.constantFrom<AlertKind>('unexpected', 'expected', 'still-on'),
          }),
          { maxLength: 200 },
        ),
        (script) => {
          let t = 0
          const shown: { at: number; kind: AlertKind }[] = []
          const n = rateLimited({ notify: (a) => void shown.push({ at: t, kind: a.kind }) }, { now: () => t })
          for (const s of script) {
            t += s.gap
            n.notify(alertOf(s.kind))
          }
          for (const s of shown) {
            const inWindow = shown.filter((o) => o.at >= s.at && o.at - s.at < NOTIFY_LIMITS.windowMs)
            expect(inWindow.length).toBeLessThanOrEqual(NOTIFY_LIMITS.perWindow)
            expect(inWindow.filter((o) => o.kind === 'still-on').length).toBeLessThanOrEqual(1)
          }
          // Nothing is held back for ever: the first alert after a quiet minute is shown.
          t += NOTIFY_LIMITS.windowMs
          const before = shown.length
          n.notify(alertOf('still-on'))
          expect(shown.length).toBe(before + 1)
        },
      ),
    )
  })

  it('says once per minute that it held notifications back', () => {
    let t = 0
    const told: string[] = []
    const n = rateLimited({ notify: () => undefined }, { now: () => t, onHeldBack: (m) => told.push(m) })
    for (let i = 0; i < 50; i++) n.notify(alertOf('unexpected'))
    expect(told).toHaveLength(1)
    expect(told[0]).toMatch(/Too many notifications/)
    t += NOTIFY_LIMITS.windowMs
    for (let i = 0; i < 50; i++) n.notify(alertOf('unexpected'))
    expect(told).toHaveLength(2)
  })

  it('a tiny reminder setting cannot make a storm: reminders every 6 ms for 3 s give one notification', async () => {
    const clock = new ManualClock()
    const detector = new ScriptedDetector()
    const settings = {
      ...DEFAULT_SETTINGS,
      trustedApps: ['meeting'],
      stillOnMinutes: 0.0001,
      remindEveryMinutes: 0.0001,
    }
    const engine = createEngine({ detector, settings: fixedSettings(settings), clock, intervalMs: 1000 })
    const shown: Alert[] = []
    const notifier = rateLimited({ notify: (a) => void shown.push(a) }, { now: () => clock.now() })
    let reminders = 0
    engine.onAlert((a) => {
      if (a.kind === 'still-on') reminders++
      notifier.notify(a)
    })
    await engine.start()
    detector.set('on', [app('meeting')])
    for (let ms = 0; ms < 3000; ms += 100) await clock.advance(100)
    await engine.stop()
    expect(reminders).toBeGreaterThan(100) // what the engine asked for
    expect(shown.filter((a) => a.kind === 'still-on')).toHaveLength(1) // what the desktop got
  })
})
