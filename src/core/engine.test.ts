// The alert engine (createEngine): the monitor, the policy, reminders and the user's actions,
// driven by a scripted detector (the unit's boundary; the real /proc scan is tested elsewhere) and
// a ManualClock, so fifteen minutes pass in a moment.
//
// Time zones: quiet hours follow the user's wall clock, so start times are built in LOCAL time
// (new Date(y, m, d, h, min)); the tests mean the same in any TZ.
import fc from 'fast-check'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, validateSetting, type Settings, type SettingsKey } from '../shared/settings.js'
import type { SetSettingResult } from '../shared/ipc.js'
import type { CameraSnapshot, CameraState, CameraUser, MonitorEvent } from '../shared/types.js'
import { ManualClock } from '../../tests/support/manual-clock.js'
import { ActivityLog } from './activity-log.js'
import { createEngine } from './engine.js'
import type { Alert, CameraDetector, SettingsStore } from './ports.js'

const SEC = 1000
const MIN = 60_000
const POLL = 1000
const local = (h: number, m: number) => new Date(2026, 10, 28, h, m)

const app = (name: string, over: Partial<CameraUser> = {}): CameraUser => ({
  pid: 1000 + name.length,
  name,
  exe: `/usr/bin/${name}`,
  evidence: 'streaming',
  ...over,
})

/** A detector whose next snapshot is whatever the test last set. */
class ScriptedDetector implements CameraDetector {
  readonly name = 'scripted'
  state: CameraState = 'off'
  users: CameraUser[] = []
  throws = false
  closed = false
  /** The microphone's part of the snapshot; null while the microphone is not watched. */
  mic: { state: CameraState; users: CameraUser[] } | null = null
  constructor(private readonly clock: ManualClock) {}

  set(state: CameraState, users: CameraUser[] = []): void {
    this.state = state
    this.users = users
  }

  async snapshot(): Promise<CameraSnapshot> {
    if (this.throws) throw new Error('the scripted detector broke')
    return {
      state: this.state,
      checkedAt: new Date(this.clock.now()).toISOString(),
      cameras: [
        {
          id: 'cam0',
          name: 'Test camera',
          devices: ['/dev/video0'],
          inUse: this.state === 'on',
          users: this.state === 'on' ? this.users.map((u) => ({ ...u })) : [],
        },
      ],
      warnings: [],
      ...(this.state === 'unknown' ? { error: 'cannot tell' } : {}),
      ...(this.mic
        ? {
            microphone: {
              state: this.mic.state,
              devices: [
                {
                  id: 'mic0',
                  name: 'Test microphone',
                  devices: ['/dev/snd/pcmC0D0c'],
                  inUse: this.mic.state === 'on',
                  users: this.mic.state === 'on' ? this.mic.users.map((u) => ({ ...u })) : [],
                },
              ],
            },
          }
        : {}),
    }
  }

  async close(): Promise<void> {
    this.closed = true
  }
}

class MemorySettings implements SettingsStore {
  readonly path = '(memory)'
  private listeners = new Set<(s: Settings) => void>()
  constructor(private settings: Settings) {}
  get(): Settings {
    return { ...this.settings }
  }
  set<K extends SettingsKey>(key: K, value: unknown): SetSettingResult {
    const check = validateSetting(key, value)
    if (!check.ok) return check
    this.settings = { ...this.settings, [key]: check.value }
    for (const l of [...this.listeners]) l(this.get())
    return { ok: true, settings: this.get() }
  }
  reset(): Settings {
    this.settings = { ...DEFAULT_SETTINGS }
    return this.get()
  }
  onChange(listener: (s: Settings) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

async function setup(
  over: Partial<Settings> = {},
  start = local(12, 0),
  poll = POLL,
  activity: ActivityLog | null = null,
) {
  const clock = new ManualClock(start.getTime())
  const detector = new ScriptedDetector(clock)
  const store = new MemorySettings({ ...DEFAULT_SETTINGS, ...over })
  const engine = createEngine({ detector, settings: store, clock, intervalMs: poll, activity })
  const events: MonitorEvent[] = []
  const alerts: Alert[] = []
  engine.onEvent((e) => events.push(e))
  engine.onAlert((a) => alerts.push(a))
  await engine.start()
  /** Sets what the camera does and lets the engine see it (one poll). */
  const camera = async (state: CameraState, users: CameraUser[] = []) => {
    detector.set(state, users)
    await clock.advance(poll)
  }
  /** Sets what the microphone does (null: not watched) and lets the engine see it. */
  const microphone = async (state: CameraState | null, users: CameraUser[] = []) => {
    detector.mic = state === null ? null : { state, users }
    await clock.advance(poll)
  }
  const of = (type: MonitorEvent['type']) => events.filter((e) => e.type === type)
  const stillOn = () => alerts.filter((a) => a.kind === 'still-on')
  return { clock, detector, store, engine, events, alerts, camera, microphone, of, stillOn }
}

describe('what makes an activation unexpected', () => {
  it('alerts (critical, naming the app) when a first-seen app turns the camera on', async () => {
    const t = await setup()
    await t.camera('on', [app('spycam')])
    expect(t.of('camera-on')).toMatchObject([{ unexpected: true, reasons: ['untrusted-app'] }])
    expect(t.alerts).toHaveLength(1)
    expect(t.alerts[0]).toMatchObject({ kind: 'unexpected', urgency: 'critical' })
    expect(t.alerts[0]!.title).toContain('spycam')
    expect(t.engine.status()).toMatchObject({ unexpected: true, reasons: ['untrusted-app'] })
  })

  it.each([
    ['its name', 'ZOOM'],
    ['its executable path', '/opt/zoom/zoom-bin'],
    ['its executable file name', 'Zoom-Bin'],
  ])('lets a trusted app (by %s) use the camera without an alert', async (_how, entry) => {
    const t = await setup({ trustedApps: [entry] })
    await t.camera('on', [app('zoom', { exe: '/opt/zoom/zoom-bin' })])
    expect(t.of('camera-on')).toMatchObject([{ unexpected: false, reasons: [] }])
    expect(t.alerts).toEqual([])
  })

  it("tells about a trusted app too when notifyFor is 'all' (a normal, not critical, alert)", async () => {
    const t = await setup({ trustedApps: ['zoom'], notifyFor: 'all' })
    await t.camera('on', [app('zoom')])
    expect(t.alerts).toMatchObject([{ kind: 'expected', urgency: 'normal' }])
  })

  it('alerts with no-app when the camera is on and nobody can be named', async () => {
    const t = await setup()
    await t.camera('on', [])
    expect(t.alerts).toMatchObject([{ kind: 'unexpected', reasons: ['no-app'] }])
    expect(t.alerts[0]!.actions).not.toContain('stop-app')
  })

  it('alerts with user-away for a trusted app while the user is away, and not once they are back', async () => {
    const t = await setup({ trustedApps: ['zoom'] })
    t.engine.setUserAway(true)
    await t.camera('on', [app('zoom')])
    expect(t.alerts).toMatchObject([{ kind: 'unexpected', reasons: ['user-away'] }])
    await t.camera('off')
    await t.clock.advance(5 * SEC)
    t.engine.setUserAway(false)
    await t.camera('on', [app('zoom')])
    expect(t.alerts).toHaveLength(1)
  })

  it('alerts with quiet-hours for a trusted app at 23:30 with quiet hours 22:00–07:00', async () => {
    const t = await setup(
      { trustedApps: ['zoom'], quietHours: { start: '22:00', end: '07:00' } },
      local(23, 30),
    )
    await t.camera('on', [app('zoom')])
    expect(t.alerts).toMatchObject([{ kind: 'unexpected', reasons: ['quiet-hours'] }])
  })

  it('does not alert for a trusted app at 07:00 when quiet hours end at 07:00', async () => {
    const t = await setup(
      { trustedApps: ['zoom'], quietHours: { start: '22:00', end: '07:00' } },
      local(6, 59),
    )
    await t.clock.advance(MIN) // now 07:00
    await t.camera('on', [app('zoom')])
    expect(t.alerts).toEqual([])
  })

  it('names every reason at once: an untrusted app, at 03:00, with the user away', async () => {
    const t = await setup({ quietHours: { start: '22:00', end: '07:00' } }, local(3, 0))
    t.engine.setUserAway(true)
    await t.camera('on', [app('spycam')])
    expect(t.alerts).toHaveLength(1)
    expect(t.alerts[0]!.reasons).toEqual(['untrusted-app', 'user-away', 'quiet-hours'])
  })

  it('alerts when an untrusted app joins a trusted one mid-session', async () => {
    const t = await setup({ trustedApps: ['zoom'] })
    await t.camera('on', [app('zoom')])
    await t.camera('on', [app('zoom'), app('spycam')])
    expect(t.of('apps-changed')).toMatchObject([{ unexpected: true, reasons: ['untrusted-app'] }])
    expect(t.alerts).toMatchObject([{ kind: 'unexpected' }])
    expect(t.alerts[0]!.title).toContain('spycam')
  })

  it('does not alert again when an app leaves a session (only newcomers are news)', async () => {
    const t = await setup({ trustedApps: ['zoom'] })
    await t.camera('on', [app('spycam'), app('zoom')])
    expect(t.alerts).toHaveLength(1)
    await t.camera('on', [app('spycam')])
    expect(t.of('apps-changed')).toHaveLength(1)
    expect(t.alerts).toHaveLength(1)
  })

  it('sees engine.trust at once: the next session of that app is expected', async () => {
    const t = await setup()
    await t.camera('on', [app('cheese')])
    t.engine.trustApp({ pid: null, name: 'Cheese' })
    await t.camera('off')
    await t.clock.advance(10 * SEC)
    await t.camera('on', [app('cheese')])
    expect(t.of('camera-on').map((e) => (e as { unexpected: boolean }).unexpected)).toEqual([true, false])
    expect(t.alerts).toHaveLength(1)
    t.engine.untrust('cheese')
    expect(t.store.get().trustedApps).toEqual([])
  })

  it('does not alert while the state is unknown, and keeps the session open', async () => {
    const t = await setup()
    await t.camera('on', [app('spycam')])
    await t.camera('unknown')
    expect(t.of('state-unknown')).toHaveLength(1)
    expect(t.of('camera-off')).toHaveLength(0)
    expect(t.engine.status().since).not.toBeNull()
    await t.camera('on', [app('spycam')])
    expect(t.alerts).toHaveLength(1)
  })
})

describe('the microphone', () => {
  it('has its own session: microphone-on and -off with kind, its own history record and status', async () => {
    const log = new ActivityLog(mkdtempSync(join(tmpdir(), 'camguard-mic-')))
    const t = await setup({ trustedApps: ['zoom'] }, local(12, 0), POLL, log)
    await t.camera('on', [app('zoom')])
    await t.microphone('on', [app('recorder')])
    expect(t.of('microphone-on')).toMatchObject([
      { kind: 'microphone', unexpected: true, reasons: ['untrusted-app'], apps: [{ name: 'recorder' }] },
    ])
    expect(t.of('camera-on')).toMatchObject([{ kind: 'camera', unexpected: false }])
    expect(t.alerts).toHaveLength(1)
    expect(t.engine.status()).toMatchObject({
      unexpected: false,
      microphone: { unexpected: true, reasons: ['untrusted-app'], apps: [{ name: 'recorder' }] },
    })
    await t.microphone('off')
    expect(t.of('microphone-off')).toMatchObject([{ kind: 'microphone', durationMs: POLL }])
    expect(t.engine.status().microphone).toBeNull()
    expect(t.engine.status().since).not.toBeNull() // the camera goes on
    const kinds = log.read().sessions.map((s) => [s.kind, s.end === null])
    expect(kinds).toEqual([
      ['camera', true],
      ['microphone', false],
    ])
  })

  it('reminds about a microphone still on, with its kind', async () => {
    const t = await setup({ stillOnMinutes: 1 })
    await t.microphone('on', [app('recorder')])
    await t.clock.advance(MIN)
    expect(t.of('still-on')).toMatchObject([{ kind: 'microphone', apps: [{ name: 'recorder' }] }])
  })

  it('ends the microphone session when it is no longer watched, without saying it is off', async () => {
    const log = new ActivityLog(mkdtempSync(join(tmpdir(), 'camguard-mic-')))
    const t = await setup({}, local(12, 0), POLL, log)
    await t.microphone('on', [app('recorder')])
    await t.microphone(null)
    expect(t.of('microphone-off')).toEqual([])
    expect(t.of('state-unknown')).toMatchObject([{ kind: 'microphone' }])
    expect(log.read().sessions).toMatchObject([{ kind: 'microphone', durationMs: POLL }])
  })
})

describe('a camera that flickers', () => {
  it('is one session and one alert when it goes off and on again within 2 s', async () => {
    const t = await setup()
    await t.camera('on', [app('spycam')])
    const since = t.engine.status().since
    await t.camera('off')
    await t.camera('on', [app('spycam')])
    expect(t.alerts).toHaveLength(1)
    expect(t.of('camera-on')).toHaveLength(2)
    expect(t.of('camera-on')[1]).toMatchObject({ resumed: true })
    expect(t.engine.status().since).toBe(since)
    // and the status still says why the session was unexpected
    expect(t.engine.status()).toMatchObject({ unexpected: true, reasons: ['untrusted-app'] })
  })

  it('keeps one history record when an untrusted app brings it back: unexpected, listing both apps', async () => {
    const log = new ActivityLog(mkdtempSync(join(tmpdir(), 'camguard-flicker-')))
    const t = await setup({ trustedApps: ['zoom'] }, local(12, 0), POLL, log)
    await t.camera('on', [app('zoom')])
    await t.camera('off')
    await t.camera('on', [app('spycam')])
    expect(t.alerts).toMatchObject([{ kind: 'unexpected', reasons: ['untrusted-app'] }])
    expect(t.engine.status()).toMatchObject({ unexpected: true, reasons: ['untrusted-app'] })
    await t.camera('off')
    await t.clock.advance(5 * SEC)
    const { sessions } = log.read()
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({ kind: 'camera', unexpected: true, reasons: ['untrusted-app'] })
    expect(sessions[0]!.apps.map((a) => a.name)).toEqual(['zoom', 'spycam'])
    expect(sessions[0]!.end).not.toBeNull()
  })

  it('is two sessions and two alerts when it stays off for longer', async () => {
    const t = await setup()
    await t.camera('on', [app('spycam')])
    await t.camera('off')
    await t.clock.advance(3 * SEC)
    await t.camera('on', [app('spycam')])
    expect(t.alerts).toHaveLength(2)
  })

  it('does not bring reminders forward: the next one is still remindEveryMinutes after the last', async () => {
    const t = await setup({ stillOnMinutes: 15, remindEveryMinutes: 15 })
    await t.camera('on', [app('zoom')])
    await t.clock.advance(20 * MIN)
    expect(t.stillOn()).toHaveLength(1)
    await t.camera('off')
    await t.camera('on', [app('zoom')])
    await t.clock.advance(5 * MIN) // 25 minutes on
    expect(t.stillOn()).toHaveLength(1)
    await t.clock.advance(6 * MIN) // 31 minutes on
    expect(t.stillOn()).toHaveLength(2)
  })

  it('keeps a snooze "until off" and an armed reminder through a flicker', async () => {
    const t = await setup({ stillOnMinutes: 15, remindEveryMinutes: 15 })
    await t.camera('on', [app('zoom')])
    t.engine.snooze(null)
    t.engine.remindIn(10)
    await t.camera('off')
    await t.camera('on', [app('zoom')])
    expect(t.engine.status()).toMatchObject({ snoozedUntil: 'until-off' })
    expect(t.engine.status().remindAt).not.toBeNull()
    await t.clock.advance(60 * MIN)
    expect(t.stillOn()).toHaveLength(1) // the armed one only
  })
})

describe('still-on reminders', () => {
  it('come stillOnMinutes after the camera turned on, then every remindEveryMinutes, until it goes off', async () => {
    const t = await setup({ stillOnMinutes: 15, remindEveryMinutes: 10 })
    await t.camera('on', [app('zoom')])
    await t.clock.advance(15 * MIN - 2 * SEC)
    expect(t.stillOn()).toHaveLength(0)
    await t.clock.advance(2 * SEC)
    expect(t.stillOn()).toHaveLength(1)
    expect(t.of('still-on')).toMatchObject([{ onForMs: 15 * MIN }])
    expect(t.stillOn()[0]).toMatchObject({ urgency: 'normal', title: 'Your camera is still on' })
    await t.clock.advance(10 * MIN)
    expect(t.stillOn()).toHaveLength(2)
    await t.clock.advance(10 * MIN)
    expect(t.of('still-on').map((e) => (e as { onForMs: number }).onForMs)).toEqual([
      15 * MIN,
      25 * MIN,
      35 * MIN,
    ])
    await t.camera('off')
    await t.clock.advance(60 * MIN)
    expect(t.stillOn()).toHaveLength(3)
  })

  it('come for a trusted app too (an expected session can still be forgotten)', async () => {
    const t = await setup({ trustedApps: ['zoom'], stillOnMinutes: 1 })
    await t.camera('on', [app('zoom')])
    await t.clock.advance(MIN)
    expect(t.stillOn()).toHaveLength(1)
  })

  it('are held back while snoozed for N minutes, and come back after', async () => {
    const t = await setup({ stillOnMinutes: 15, remindEveryMinutes: 15 })
    await t.camera('on', [app('zoom')])
    await t.clock.advance(10 * MIN)
    expect(t.engine.snooze(30).snoozedUntil).not.toBeNull()
    await t.clock.advance(29 * MIN)
    expect(t.stillOn()).toHaveLength(0)
    await t.clock.advance(2 * MIN)
    expect(t.stillOn()).toHaveLength(1)
  })

  it('stop for the session when snoozed until off, and start again with the next session', async () => {
    const t = await setup({ stillOnMinutes: 15, remindEveryMinutes: 15 })
    await t.camera('on', [app('zoom')])
    t.engine.snooze(null)
    await t.clock.advance(120 * MIN)
    expect(t.stillOn()).toHaveLength(0)
    await t.camera('off')
    await t.clock.advance(10 * SEC)
    await t.camera('on', [app('zoom')])
    expect(t.engine.status().snoozedUntil).toBeNull()
    await t.clock.advance(15 * MIN)
    expect(t.stillOn()).toHaveLength(1)
  })

  it('armed by hand fire once, when asked, even while snoozed', async () => {
    const t = await setup({ stillOnMinutes: 60 })
    await t.camera('on', [app('zoom')])
    t.engine.snooze(null)
    const s = t.engine.remindIn(5)
    expect(s.remindAt).toBe(new Date(t.clock.now() + 5 * MIN).toISOString())
    await t.clock.advance(5 * MIN - SEC)
    expect(t.stillOn()).toHaveLength(0)
    await t.clock.advance(SEC)
    expect(t.of('still-on')).toMatchObject([{ armed: true }])
    expect(t.stillOn()).toHaveLength(1)
    expect(t.engine.status().remindAt).toBeNull()
    await t.clock.advance(30 * MIN)
    expect(t.stillOn()).toHaveLength(1)
  })

  it('armed by hand are cancelled when the camera goes off', async () => {
    const t = await setup({ stillOnMinutes: 60 })
    await t.camera('on', [app('zoom')])
    t.engine.remindIn(5)
    await t.clock.advance(2 * MIN)
    await t.camera('off')
    expect(t.engine.status().remindAt).toBeNull()
    await t.clock.advance(10 * SEC)
    await t.camera('on', [app('zoom')])
    await t.clock.advance(30 * MIN)
    expect(t.stillOn()).toHaveLength(0)
  })

  it('armed by hand while only the microphone is on: told in the status, fired for the microphone', async () => {
    const t = await setup({ stillOnMinutes: 60 })
    await t.microphone('on', [app('recorder')])
    const s = t.engine.remindIn(5)
    expect(s.remindAt).toBe(new Date(t.clock.now() + 5 * MIN).toISOString())
    expect(t.engine.snooze(null).snoozedUntil).toBe('until-off')
    await t.clock.advance(5 * MIN)
    expect(t.of('still-on')).toMatchObject([
      { kind: 'microphone', armed: true, apps: [{ name: 'recorder' }] },
    ])
    expect(t.engine.status().remindAt).toBeNull()
  })

  it('cannot be armed while the camera is off', async () => {
    const t = await setup()
    expect(t.engine.remindIn(5).remindAt).toBeNull()
    await t.clock.advance(10 * MIN)
    expect(t.of('still-on')).toHaveLength(0)
  })

  it('give one notification when an armed reminder falls due with a regular one', async () => {
    const t = await setup({ stillOnMinutes: 15, remindEveryMinutes: 15 })
    await t.camera('on', [app('zoom')])
    t.engine.remindIn(15)
    await t.clock.advance(16 * MIN)
    expect(t.stillOn()).toHaveLength(1)
  })

  it('follow a change of stillOnMinutes while the camera is on', async () => {
    const t = await setup({ stillOnMinutes: 60 })
    await t.camera('on', [app('zoom')])
    await t.clock.advance(5 * MIN)
    t.store.set('stillOnMinutes', 2)
    await t.clock.advance(SEC)
    expect(t.stillOn()).toHaveLength(1)
  })
})

describe('paused alerts', () => {
  it('say nothing for N minutes, then alert again; events still flow', async () => {
    const t = await setup({ stillOnMinutes: 1 })
    expect(t.engine.pauseAlerts(30).pausedUntil).not.toBeNull()
    await t.camera('on', [app('spycam')])
    await t.clock.advance(5 * MIN)
    expect(t.of('camera-on')).toHaveLength(1)
    expect(t.of('still-on').length).toBeGreaterThan(0)
    expect(t.alerts).toEqual([])
    await t.camera('off')
    await t.clock.advance(26 * MIN)
    expect(t.engine.status().pausedUntil).toBeNull()
    await t.camera('on', [app('spycam')])
    expect(t.alerts).toMatchObject([{ kind: 'unexpected' }])
  })

  it('resume at once with resumeAlerts', async () => {
    const t = await setup()
    t.engine.pauseAlerts(60)
    t.engine.resumeAlerts()
    await t.camera('on', [app('spycam')])
    expect(t.alerts).toHaveLength(1)
  })
})

describe('stopping', () => {
  it('closes the detector and leaves no timer behind', async () => {
    const t = await setup({ stillOnMinutes: 1 })
    await t.camera('on', [app('zoom')])
    t.engine.remindIn(5)
    await t.engine.stop()
    expect(t.detector.closed).toBe(true)
    expect(t.clock.pending).toBe(0)
    await t.clock.advance(60 * MIN)
    expect(t.of('still-on')).toHaveLength(0)
  })
})

// ---- properties ----------------------------------------------------------------------------

const APPS = [app('zoom'), app('spycam'), app('cheese', { exe: null, pid: null })]

const minutesArb = fc.double({ min: 0.01, max: 30, noNaN: true })
const action = fc.oneof(
  fc.record({ do: fc.constant('throw' as const), on: fc.boolean() }),
  fc.record({ do: fc.constant('remind' as const), minutes: minutesArb }),
  fc.record({ do: fc.constant('snooze' as const), minutes: fc.option(minutesArb) }),
  fc.record({ do: fc.constant('pause' as const), minutes: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ do: fc.constant('resume' as const) }),
  fc.record({ do: fc.constant('away' as const), away: fc.boolean() }),
  fc.record({ do: fc.constant('trust' as const), name: fc.constantFrom('zoom', 'SPYCAM', 'cheese') }),
  fc.record({ do: fc.constant('untrust' as const), name: fc.constantFrom('zoom', 'spycam') }),
  fc.record({
    do: fc.constant('settings' as const),
    stillOnMinutes: fc.integer({ min: 1, max: 20 }),
    remindEveryMinutes: fc.integer({ min: 1, max: 20 }),
    notifyFor: fc.constantFrom('unexpected', 'all'),
    quietHours: fc.constantFrom(null, { start: '22:00', end: '07:00' }, { start: '12:00', end: '12:00' }),
  }),
)

/** One phase: maybe the camera changes, maybe the user does something, then time passes. */
const phase = fc.record({
  camera: fc.option(
    fc.record({ state: fc.constantFrom<CameraState>('on', 'off', 'unknown'), apps: fc.subarray(APPS) }),
    { freq: 3 },
  ),
  action: fc.option(action, { freq: 2 }),
  advance: fc.oneof(
    fc.integer({ min: 0, max: 3 * SEC }),
    fc.integer({ min: 0, max: 2 * MIN }),
    fc.integer({ min: 0, max: 10 * MIN }),
  ),
})

describe('properties', () => {
  it('no sequence of events, times and actions makes the engine throw or alert about a camera that is off', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(phase, { maxLength: 20 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        // short thresholds as well as the defaults, so reminders fall due within a run
        fc.record({
          stillOnMinutes: fc.constantFrom(1, 2, 15),
          remindEveryMinutes: fc.constantFrom(1, 2, 15),
        }),
        fc.constantFrom(500, 1000, 5000),
        async (phases, startMinute, thresholds, poll) => {
          const t = await setup(thresholds, local(Math.floor(startMinute / 60), startMinute % 60), poll)
          const problems: string[] = []
          t.engine.onAlert((a) => {
            const state = t.engine.snapshot()?.state
            if (state === 'off') problems.push(`${a.kind} alert while the camera is off: ${a.title}`)
            if (a.kind === 'still-on' && t.engine.status().since === null)
              problems.push('still-on alert without a session')
          })
          t.engine.onEvent((e) => {
            if (e.type === 'still-on') {
              if (t.engine.snapshot()?.state === 'off')
                problems.push('still-on event while the camera is off')
              if (e.onForMs < 0) problems.push(`still-on with onForMs ${e.onForMs}`)
            }
          })
          for (const p of phases) {
            if (p.camera) t.detector.set(p.camera.state, p.camera.apps)
            const s = p.action
            switch (s?.do) {
              case undefined:
                break
              case 'throw':
                t.detector.throws = s.on
                break
              case 'remind': {
                const v = t.engine.remindIn(s.minutes)
                if (v.remindAt !== null && v.snapshot.state === 'off') problems.push('armed while off')
                break
              }
              case 'snooze':
                t.engine.snooze(s.minutes)
                break
              case 'pause':
                t.engine.pauseAlerts(s.minutes)
                break
              case 'resume':
                t.engine.resumeAlerts()
                break
              case 'away':
                t.engine.setUserAway(s.away)
                break
              case 'trust':
                t.engine.trust([{ exe: `/usr/bin/${s.name}`, name: s.name, kinds: ['camera'] }])
                break
              case 'untrust':
                t.engine.untrust(s.name)
                break
              case 'settings':
                for (const key of [
                  'stillOnMinutes',
                  'remindEveryMinutes',
                  'notifyFor',
                  'quietHours',
                ] as const) {
                  const r = t.store.set(key, s[key])
                  if (!r.ok) problems.push(r.error)
                }
                break
            }
            await t.clock.advance(p.advance)
            // At most the poll timer and one reminder timer are ever pending.
            if (t.clock.pending > 2) problems.push(`${t.clock.pending} timers pending`)
            const status = t.engine.status()
            if (status.snapshot.state === 'off' && (status.since !== null || status.unexpected))
              problems.push('status says a session is open while the camera is off')
          }
          await t.engine.stop()
          if (t.clock.pending !== 0) problems.push(`${t.clock.pending} timers left after stop`)
          expect(problems).toEqual([])
        },
      ),
      { numRuns: 150 },
    )
  }, 180_000)
})
