// The engine with a history file that cannot be written (a folder in its place): the camera turning
// on is still announced and alerted at that moment, and the status says what failed and where.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixedSettings } from '../../tests/support/fixed-settings.js'
import { ManualClock } from '../../tests/support/manual-clock.js'
import { ScriptedDetector, app } from '../../tests/support/scripted-detector.js'
import type { MonitorEvent } from '../shared/types.js'
import { ActivityLog } from './activity-log.js'
import { createEngine } from './engine.js'
import type { Alert } from './ports.js'

const settings = fixedSettings()

describe('a history file that cannot be written', () => {
  it('does not stop the monitor: the event and the alert come when the camera turns on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camguard-faults-'))
    const file = join(dir, 'activity.jsonl')
    mkdirSync(file)
    const clock = new ManualClock()
    const detector = new ScriptedDetector()
    const activity = new ActivityLog(dir, { clock, retryMs: 30_000 })
    const engine = createEngine({ detector, settings, activity, clock, intervalMs: 1000 })
    const events: MonitorEvent[] = []
    const alerts: Alert[] = []
    const statuses: string[][] = []
    engine.onEvent((e) => events.push(e))
    engine.onAlert((a) => alerts.push(a))
    engine.onStatus((s) => statuses.push(s.snapshot.warnings))
    await engine.start()

    detector.set('on', [app('spycam', 4242, '/usr/bin/spycam')])
    await clock.advance(1000)
    expect(events.map((e) => e.type)).toEqual(['ready', 'camera-on'])
    expect(alerts.map((a) => a.kind)).toEqual(['unexpected'])
    const warning = engine.status().snapshot.warnings.find((w) => w.includes(file))
    expect(warning).toMatch(/could not write its activity history .*EISDIR.*1 session is kept in memory/)
    expect(statuses.at(-1)).toContain(warning)

    // The folder goes away: the kept session is written on the next retry, and the warning goes.
    rmSync(file, { recursive: true })
    await clock.advance(30_000)
    expect(engine.status().snapshot.warnings.some((w) => w.includes(file))).toBe(false)
    expect(statuses.at(-1)!.some((w) => w.includes(file))).toBe(false) // the window and tray are told
    detector.set('off')
    await clock.advance(1000)
    expect(events.at(-1)!.type).toBe('camera-off')
    await engine.stop()
    const ids = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id)
    expect(new Set(ids).size).toBe(1)
    expect(activity.read().sessions[0]!.end).not.toBeNull()
  })
})
