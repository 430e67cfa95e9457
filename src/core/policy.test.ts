// The alert policy (docs/architecture.md, "Alerts") as pure functions: why an activation is unexpected, whom we
// trust, what to tell the user, and when "still on" reminders are due.
//
// Time zones: quiet hours are about the user's wall clock, so every Date here is built in LOCAL
// time (new Date(y, m, d, h, min)). The tests then mean the same thing in any TZ the machine has.
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings.js'
import type { AlertReason, CameraUser, MonitorEvent } from '../shared/types.js'
import { ReminderSchedule, activationReasons, decideAlert, inQuietHours, type PolicyInput } from './policy.js'

const MIN = 60_000
const local = (h: number, m: number) => new Date(2026, 10, 28, h, m)
const NOON = local(12, 0)

const app = (name: string, over: Partial<CameraUser> = {}): CameraUser => ({
  pid: 4242,
  name,
  exe: `/usr/bin/${name}`,
  evidence: 'streaming',
  ...over,
})
const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...over })
const input = (over: Partial<PolicyInput> = {}): PolicyInput => ({
  settings: settings(),
  at: NOON,
  userAway: false,
  ...over,
})

const zoomExe = { exe: '/opt/zoom/zoom', name: 'zoom', kinds: ['camera' as const] }

describe('trust by identity in the policy', () => {
  const real = app('zoom', { exe: '/opt/zoom/zoom', pid: 1 })
  const copy = app('zoom', { exe: '/tmp/x/zoom', pid: 2 })
  const python = app('zoom', { exe: '/usr/bin/python3.11', pid: 3 })
  const trusted = input({ settings: settings({ trustedApps: [zoomExe] }) })

  it('calls a program that takes a trusted name but runs another executable an impersonation', () => {
    expect(activationReasons([real], trusted)).toEqual([])
    expect(activationReasons([copy], trusted)).toEqual(['impersonation'])
    expect(activationReasons([python], trusted)).toEqual(['impersonation'])
    expect(activationReasons([real, copy, app('spycam')], trusted)).toEqual([
      'untrusted-app',
      'impersonation',
    ])
  })

  it('says in the alert who calls itself what, and what it runs', () => {
    const on: MonitorEvent = {
      type: 'camera-on',
      kind: 'camera',
      at: '',
      apps: [copy],
      unexpected: true,
      reasons: ['impersonation'],
    }
    const alert = decideAlert(on, { ...trusted, paused: false })!
    expect(alert.body).toContain(
      'Process 2 calls itself zoom but runs /tmp/x/zoom, not the trusted /opt/zoom/zoom.',
    )
  })

  it('names as targets only the apps that are not trusted: the trusted app an untrusted one joined is left alone', () => {
    const spy = app('spycam', { exe: '/tmp/spycam', pid: 9 })
    const joined: MonitorEvent = {
      type: 'apps-changed',
      kind: 'camera',
      at: '',
      apps: [real, spy],
      unexpected: true,
      reasons: ['untrusted-app'],
    }
    const alert = decideAlert(joined, { ...trusted, paused: false })!
    expect(alert.targets).toEqual({
      stop: [{ pid: 9, name: 'spycam', exe: '/tmp/spycam' }],
      trust: [{ exe: '/tmp/spycam', name: 'spycam', kinds: ['camera'] }],
      refused: [],
    })
    expect(alert.actions).toEqual(['trust', 'stop-app', 'remind-15', 'open-guide'])
  })

  it('names each macOS app by its own bundle id as a Trust target', () => {
    const mac = (name: string, bundleId: string, pid: number): CameraUser => ({
      pid,
      name,
      exe: null,
      evidence: 'os-report',
      bundleId,
    })
    const on: MonitorEvent = {
      type: 'camera-on',
      kind: 'camera',
      at: '',
      apps: [mac('Photo Booth', 'com.apple.PhotoBooth', 5), mac('Spy', 'com.evil.spy', 6)],
      unexpected: true,
      reasons: ['untrusted-app'],
    }
    const alert = decideAlert(on, { ...input(), paused: false })!
    expect(alert.targets.trust.map((t) => t.bundleId)).toEqual(['com.apple.PhotoBooth', 'com.evil.spy'])
  })

  it('offers no Trust for an interpreter, and says why', () => {
    const script = app('recorder', { exe: '/usr/bin/python3', pid: 5 })
    const on: MonitorEvent = {
      type: 'microphone-on',
      kind: 'microphone',
      at: '',
      apps: [script],
      unexpected: true,
      reasons: ['untrusted-app'],
    }
    const alert = decideAlert(on, { ...input(), paused: false })!
    expect(alert.targets.trust).toEqual([])
    expect(alert.targets.refused[0]!.why).toMatch(/runs inside python3/)
    expect(alert.actions).toEqual(['stop-app', 'remind-15', 'open-guide'])
    expect(alert.title).toBe('Your microphone turned on: recorder')
  })
})

describe('activationReasons', () => {
  it('names a first-seen app (not on the trusted list) as untrusted-app', () => {
    expect(activationReasons([app('zoom')], input())).toEqual(['untrusted-app'])
  })

  it('finds nothing unexpected about a trusted app, at noon, with the user present', () => {
    expect(
      activationReasons([app('zoom')], input({ settings: settings({ trustedApps: ['zoom'] }) })),
    ).toEqual([])
  })

  it('says no-app when nobody could be named (and not untrusted-app as well)', () => {
    expect(activationReasons([], input())).toEqual(['no-app'])
  })

  it('says user-away when the user is away, even for a trusted app', () => {
    const s = settings({ trustedApps: ['zoom'] })
    expect(activationReasons([app('zoom')], input({ settings: s, userAway: true }))).toEqual(['user-away'])
    // "cannot tell" is not "away"
    expect(activationReasons([app('zoom')], input({ settings: s, userAway: null }))).toEqual([])
  })

  it('says quiet-hours during quiet hours, even for a trusted app', () => {
    const s = settings({ trustedApps: ['zoom'], quietHours: { start: '22:00', end: '07:00' } })
    expect(activationReasons([app('zoom')], input({ settings: s, at: local(23, 30) }))).toEqual([
      'quiet-hours',
    ])
    expect(activationReasons([app('zoom')], input({ settings: s, at: NOON }))).toEqual([])
  })

  it('names every reason that holds at once', () => {
    const s = settings({ quietHours: { start: '22:00', end: '07:00' } })
    expect(activationReasons([app('zoom')], input({ settings: s, at: local(3, 0), userAway: true }))).toEqual(
      ['untrusted-app', 'user-away', 'quiet-hours'],
    )
    expect(activationReasons([], input({ settings: s, at: local(3, 0), userAway: true }))).toEqual([
      'no-app',
      'user-away',
      'quiet-hours',
    ])
  })

  it('counts one untrusted app among trusted ones', () => {
    const s = settings({ trustedApps: ['zoom'] })
    expect(activationReasons([app('zoom'), app('spyware')], input({ settings: s }))).toEqual([
      'untrusted-app',
    ])
  })
})

describe('inQuietHours', () => {
  const night = { start: '22:00', end: '07:00' }

  it.each([
    [23, 30, true],
    [3, 0, true],
    [22, 0, true],
    [0, 0, true],
    [6, 59, true],
    [7, 0, false],
    [21, 59, false],
    [12, 0, false],
  ])('22:00–07:00 (across midnight) at %i:%i is quiet: %s', (h, m, quiet) => {
    expect(inQuietHours(local(h, m), night)).toBe(quiet)
  })

  it('handles a range within one day (09:00–17:00)', () => {
    const day = { start: '09:00', end: '17:00' }
    expect(inQuietHours(local(9, 0), day)).toBe(true)
    expect(inQuietHours(local(16, 59), day)).toBe(true)
    expect(inQuietHours(local(17, 0), day)).toBe(false)
    expect(inQuietHours(local(8, 59), day)).toBe(false)
    expect(inQuietHours(local(23, 30), day)).toBe(false)
  })

  it('is never quiet without quiet hours, and always when start equals end', () => {
    expect(inQuietHours(local(23, 30), null)).toBe(false)
    expect(inQuietHours(local(13, 0), { start: '08:00', end: '08:00' })).toBe(true)
  })
})

describe('decideAlert', () => {
  const on = (apps: CameraUser[], reasons: AlertReason[] = []) =>
    ({
      type: 'camera-on',
      kind: 'camera',
      at: NOON.toISOString(),
      apps,
      unexpected: reasons.length > 0,
      reasons,
    }) as MonitorEvent
  const decide = (event: MonitorEvent, over: Partial<PolicyInput & { paused: boolean }> = {}) =>
    decideAlert(event, { ...input(), paused: false, ...over })

  it('makes an unexpected activation a critical alert that names the app and why', () => {
    const a = decide(on([app('spycam')], ['untrusted-app']))!
    expect(a.kind).toBe('unexpected')
    expect(a.urgency).toBe('critical')
    expect(a.title).toContain('spycam')
    expect(a.body).toContain('spycam is using your camera')
    expect(a.body).toContain('not an app you have marked as trusted')
    expect(a.actions).toEqual(['trust', 'stop-app', 'remind-15', 'open-guide'])
  })

  it('explains every reason, and offers no trust/stop for an app it cannot name', () => {
    const a = decide(on([], ['no-app', 'user-away', 'quiet-hours']))!
    expect(a.title).toBe('Your camera turned on')
    expect(a.body).toContain('could not tell which app')
    expect(a.body).toContain('away from the computer')
    expect(a.body).toContain('quiet hours')
    expect(a.actions).toEqual(['remind-15', 'open-guide'])
  })

  it("stays silent about an expected activation when notifyFor is 'unexpected'", () => {
    expect(decide(on([app('zoom')]))).toBeNull()
  })

  it("tells about an expected activation, gently, when notifyFor is 'all'", () => {
    const a = decide(on([app('zoom')]), { settings: settings({ notifyFor: 'all' }) })!
    expect(a).toMatchObject({ kind: 'expected', urgency: 'normal', title: 'Camera on: zoom' })
  })

  it("still alerts about an unexpected activation when notifyFor is 'all'", () => {
    const a = decide(on([app('x')], ['untrusted-app']), { settings: settings({ notifyFor: 'all' }) })!
    expect(a.kind).toBe('unexpected')
  })

  it('alerts when an untrusted app joins a session (apps-changed)', () => {
    const e: MonitorEvent = {
      type: 'apps-changed',
      kind: 'camera',
      at: NOON.toISOString(),
      apps: [app('zoom'), app('spycam')],
      unexpected: true,
      reasons: ['untrusted-app'],
    }
    expect(decide(e)?.kind).toBe('unexpected')
    expect(decide({ ...e, unexpected: false, reasons: [] })).toBeNull()
  })

  it('does not alert again for the same apps coming back after a flicker, even with notifyFor all', () => {
    const e = { ...on([app('zoom')]), resumed: true } as MonitorEvent
    expect(decide(e, { settings: settings({ notifyFor: 'all' }) })).toBeNull()
  })

  it('makes a still-on reminder a normal alert saying how long', () => {
    const a = decide({
      type: 'still-on',
      kind: 'camera',
      at: NOON.toISOString(),
      apps: [app('zoom')],
      onForMs: 15 * MIN,
    })!
    expect(a).toMatchObject({ kind: 'still-on', urgency: 'normal', title: 'Your camera is still on' })
    expect(a.body).toContain('zoom has been using your camera for 15 minutes')
  })

  it('says nothing about the camera going off, being ready or unknown', () => {
    expect(
      decide({ type: 'camera-off', kind: 'camera', at: NOON.toISOString(), durationMs: 5000 }),
    ).toBeNull()
    expect(decide({ type: 'state-unknown', kind: 'camera', at: NOON.toISOString(), error: 'x' })).toBeNull()
  })

  it('says nothing at all while alerts are paused', () => {
    expect(decide(on([app('spycam')], ['untrusted-app']), { paused: true })).toBeNull()
    expect(
      decide(
        { type: 'still-on', kind: 'camera', at: NOON.toISOString(), apps: [], onForMs: MIN },
        { paused: true },
      ),
    ).toBeNull()
  })
})

describe('ReminderSchedule', () => {
  const s = settings({ stillOnMinutes: 15, remindEveryMinutes: 10 })
  const T0 = NOON.getTime()

  it('is due stillOnMinutes after the camera turned on, then every remindEveryMinutes', () => {
    const r = new ReminderSchedule()
    expect(r.nextDue(s)).toBeNull()
    r.cameraOn(T0)
    expect(r.nextDue(s)).toBe(T0 + 15 * MIN)
    expect(r.due(T0 + 14 * MIN, s)).toBeNull()
    expect(r.due(T0 + 15 * MIN, s)).toEqual({ armed: false, onForMs: 15 * MIN })
    expect(r.nextDue(s)).toBe(T0 + 25 * MIN)
    expect(r.due(T0 + 25 * MIN, s)).toEqual({ armed: false, onForMs: 25 * MIN })
    expect(r.nextDue(s)).toBe(T0 + 35 * MIN)
  })

  it('stops when the camera goes off', () => {
    const r = new ReminderSchedule()
    r.cameraOn(T0)
    r.cameraOff()
    expect(r.nextDue(s)).toBeNull()
    expect(r.due(T0 + 60 * MIN, s)).toBeNull()
  })

  it('holds reminders back while snoozed for N minutes', () => {
    const r = new ReminderSchedule()
    r.cameraOn(T0)
    r.snooze(30, T0 + 10 * MIN)
    expect(r.nextDue(s)).toBe(T0 + 40 * MIN)
    expect(r.due(T0 + 15 * MIN, s)).toBeNull()
    expect(r.due(T0 + 40 * MIN, s)).toEqual({ armed: false, onForMs: 40 * MIN })
    expect(r.nextDue(s)).toBe(T0 + 50 * MIN) // the snooze is over: every 10 minutes again
  })

  it('snoozed until off: no reminders this session, and the next session reminds again', () => {
    const r = new ReminderSchedule()
    r.cameraOn(T0)
    r.snooze(null, T0 + MIN)
    expect(r.nextDue(s)).toBeNull()
    r.cameraOff()
    r.cameraOn(T0 + 100 * MIN)
    expect(r.nextDue(s)).toBe(T0 + 115 * MIN)
  })

  it('a snooze "until off" given while the camera is off does not silence the next session', () => {
    const r = new ReminderSchedule()
    r.snooze(null, T0)
    r.cameraOn(T0 + MIN)
    expect(r.nextDue(s)).toBe(T0 + 16 * MIN)
  })

  it('fires a reminder armed by hand once, even while snoozed', () => {
    const r = new ReminderSchedule()
    r.cameraOn(T0)
    r.snooze(null, T0)
    expect(r.arm(5, T0 + MIN)).toBe(true)
    expect(r.nextDue(s)).toBe(T0 + 6 * MIN)
    expect(r.due(T0 + 6 * MIN, s)).toEqual({ armed: true, onForMs: 6 * MIN })
    expect(r.nextDue(s)).toBeNull()
    expect(r.due(T0 + 7 * MIN, s)).toBeNull()
  })

  it('cannot arm a reminder while the camera is off, and cancels one when it goes off', () => {
    const r = new ReminderSchedule()
    expect(r.arm(5, T0)).toBe(false)
    r.cameraOn(T0)
    r.arm(5, T0)
    r.cameraOff()
    expect(r.state.armedAt).toBeNull()
    r.cameraOn(T0 + 2 * MIN)
    expect(r.nextDue(s)).toBe(T0 + 17 * MIN) // only the regular one of the new session
  })

  it('gives one reminder, not two, when an armed one falls due with a regular one', () => {
    const r = new ReminderSchedule()
    r.cameraOn(T0)
    r.arm(15, T0)
    const at = T0 + 15 * MIN
    expect(r.due(at, s)).not.toBeNull()
    expect(r.due(at, s)).toBeNull()
    expect(r.nextDue(s)).toBe(T0 + 25 * MIN)
  })
})
