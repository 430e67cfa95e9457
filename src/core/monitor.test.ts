import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import type { MonitorEvent } from '../shared/types.js'
import { ManualClock } from '../../tests/support/manual-clock.js'
import { ScriptedDetector, app } from '../../tests/support/scripted-detector.js'
import { ActivityLog } from './activity-log.js'
import { Monitor } from './monitor.js'

let clock: ManualClock
let detector: ScriptedDetector
let log: ActivityLog
let events: MonitorEvent[]
let monitor: Monitor
let interval: number

beforeEach(() => {
  clock = new ManualClock()
  detector = new ScriptedDetector()
  log = new ActivityLog(mkdtempSync(join(tmpdir(), 'camguard-monitor-')))
  events = []
  interval = 1000
  monitor = new Monitor({ detector, clock, intervalMs: () => interval, activity: log })
  monitor.on((e) => events.push(e))
})

const types = () => events.map((e) => e.type)

describe('Monitor', () => {
  it('says ready first, with the first snapshot, then polls every interval', async () => {
    await monitor.start()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'ready', snapshot: { state: 'off' } })
    await clock.advance(3000)
    expect(detector.calls).toBe(4)
    interval = 5000 // a settings change applies from the next wait
    await clock.advance(1000)
    await clock.advance(5000)
    expect(detector.calls).toBe(6)
  })

  it('turns on, apps joining and leaving, and off into events with the session duration', async () => {
    await monitor.start()
    detector.set('on', [app('cheese', 11)])
    await clock.advance(1000)
    detector.set('on', [app('cheese', 11), app('obs', 12)])
    await clock.advance(1000)
    detector.set('on', [app('obs', 12)])
    await clock.advance(1000)
    detector.set('off')
    await clock.advance(1000)
    expect(types()).toEqual(['ready', 'camera-on', 'apps-changed', 'apps-changed', 'camera-off'])
    expect(events[1]).toMatchObject({ apps: [{ name: 'cheese', pid: 11 }] })
    expect(events[2]).toMatchObject({ apps: [{ name: 'cheese' }, { name: 'obs' }] })
    expect(events[4]).toMatchObject({ type: 'camera-off', kind: 'camera', durationMs: 3000 })
  })

  it('records one activity session, open while on and closed with its duration', async () => {
    await monitor.start()
    detector.set('on', [app('cheese', 11)])
    await clock.advance(1000)
    expect(log.read().sessions).toMatchObject([{ end: null, durationMs: null, apps: [{ name: 'cheese' }] }])
    detector.set('on', [app('cheese', 11), app('obs', 12)])
    await clock.advance(1000)
    detector.set('off')
    await clock.advance(10_000)
    const { sessions } = log.read()
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({ durationMs: 2000, apps: [{ name: 'cheese' }, { name: 'obs' }] })
    expect(Date.parse(sessions[0]!.end!) - Date.parse(sessions[0]!.start)).toBe(2000)
    // Appended, never rewritten: its start, the apps changing, its end; one id.
    const ids = readFileSync(log.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id)
    expect(ids).toEqual([sessions[0]!.id, sessions[0]!.id, sessions[0]!.id])
  })

  it('reports unknown once, keeps the session open, and closes it when the state comes back off', async () => {
    detector.set('on', [app('cheese', 11)])
    await monitor.start()
    expect(types()).toEqual(['ready', 'camera-on'])
    detector.set('unknown')
    await clock.advance(3000)
    expect(types()).toEqual(['ready', 'camera-on', 'state-unknown'])
    expect(events[2]).toMatchObject({ error: 'scripted failure' })
    expect(log.read().sessions[0]!.end).toBeNull()
    detector.set('off')
    await clock.advance(1000)
    expect(types()).toEqual(['ready', 'camera-on', 'state-unknown', 'camera-off'])
    expect(events[3]).toMatchObject({ durationMs: 4000 })
  })

  it('treats a detector that throws as unknown, never as off', async () => {
    await monitor.start()
    detector.throws = true
    await clock.advance(1000)
    expect(events.at(-1)).toMatchObject({ type: 'state-unknown', kind: 'camera', error: 'detector exploded' })
    expect(monitor.snapshot?.state).toBe('unknown')
  })

  it('keeps a camera that flickers off and on within 2 seconds as one session', async () => {
    await monitor.start()
    detector.set('on', [app('cheese', 11)])
    await clock.advance(1000)
    detector.set('off')
    await clock.advance(1000)
    detector.set('on', [app('cheese', 11)])
    await clock.advance(1000)
    expect(types()).toEqual(['ready', 'camera-on', 'camera-off', 'camera-on'])
    expect(events[3]).toMatchObject({ resumed: true, unexpected: false })
    expect(log.read().sessions).toHaveLength(1)
    expect(log.read().sessions[0]!.end).toBeNull()
    detector.set('off')
    await clock.advance(5000)
    detector.set('on', [app('cheese', 11)])
    await clock.advance(1000)
    expect(events.at(-1)).not.toHaveProperty('resumed')
    expect(log.read().sessions).toHaveLength(2)
  })

  it('closes the open session when stopped, and closes the detector', async () => {
    await monitor.start()
    detector.set('on', [app('cheese', 11)])
    await clock.advance(1000)
    await clock.advance(2500)
    await monitor.stop()
    expect(detector.closed).toBe(true)
    expect(log.read().sessions[0]).toMatchObject({ durationMs: 2500 })
    const calls = detector.calls
    await clock.advance(10_000)
    expect(detector.calls).toBe(calls)
  })

  it('marks sessions a crashed monitor left open as interrupted', async () => {
    log.append({
      id: 'old',
      start: '2026-11-01T10:00:00Z',
      end: null,
      durationMs: null,
      apps: [],
      unexpected: false,
      reasons: [],
    })
    await monitor.start()
    expect(log.read().sessions[0]).toMatchObject({ id: 'old', interrupted: true })
  })

  it('classifies activations with the injected policy', async () => {
    const m = new Monitor({
      detector,
      clock,
      intervalMs: () => 1000,
      classify: (_kind, apps) => ({
        unexpected: apps.some((a) => a.name === 'evil'),
        reasons: ['untrusted-app'],
      }),
    })
    const seen: MonitorEvent[] = []
    m.on((e) => seen.push(e))
    await m.start()
    detector.set('on', [app('evil', 66)])
    await clock.advance(1000)
    expect(seen[1]).toMatchObject({
      type: 'camera-on',
      kind: 'camera',
      unexpected: true,
      reasons: ['untrusted-app'],
    })
  })

  it('poke() checks at once instead of waiting for the interval', async () => {
    await monitor.start()
    detector.set('on', [app('cheese', 11)])
    monitor.poke()
    await clock.advance(0)
    expect(types()).toEqual(['ready', 'camera-on'])
  })
})
