import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ManualClock } from '../../../tests/support/manual-clock.js'
import { fakeRunner, fakeStreams, ok } from '../../../tests/support/native-fakes.js'
import type { SpawnLines, StreamExit } from './spawn-lines.js'
import {
  LOG_STREAM_ARGS,
  bundleDisplayName,
  createAppNamer,
  isAdministrator,
  parseLsappinfoPid,
  parseSensorIndicatorLine,
} from './darwin-log.js'

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../tests/fixtures/darwin/${name}`, import.meta.url)), 'utf8')

const STREAM = fixture('sensor-indicators-stream.ndjson').split('\n')
const [
  FILTERING,
  FACETIME_CAM_AND_MIC,
  FACETIME_MIC_ONLY,
  OLD_EMPTY,
  ZOOM_NEW_FORM,
  OTHER_CATEGORY,
  SPOOFED_EMPTY,
  CHROME_AND_ZOOM,
  NEW_EMPTY,
] = STREAM as [string, string, string, string, string, string, string, string, string]

describe('parseSensorIndicatorLine', () => {
  it('reads only the camera part of the older message form', () => {
    expect(parseSensorIndicatorLine(FACETIME_CAM_AND_MIC)).toEqual([{ bundleId: 'com.apple.FaceTime' }])
    expect(parseSensorIndicatorLine(FACETIME_MIC_ONLY)).toEqual([])
    expect(parseSensorIndicatorLine(OLD_EMPTY)).toEqual([])
  })

  it('reads names and bundle ids of the newer message form', () => {
    expect(parseSensorIndicatorLine(ZOOM_NEW_FORM)).toEqual([{ bundleId: 'us.zoom.xos', name: 'zoom.us' }])
    expect(parseSensorIndicatorLine(CHROME_AND_ZOOM)).toEqual([
      { bundleId: 'com.google.Chrome', name: 'Google Chrome' },
      { bundleId: 'us.zoom.xos', name: 'zoom.us' },
    ])
    expect(parseSensorIndicatorLine(NEW_EMPTY)).toEqual([])
  })

  it('keeps app names that hold parentheses or commas', () => {
    const line = JSON.parse(ZOOM_NEW_FORM) as Record<string, unknown>
    line.eventMessage =
      'Sorted active attributions from SystemStatus update: [[cam] Camo (Beta), by Reincubate (com.reincubate.camo), [mic] X (x.y)]'
    expect(parseSensorIndicatorLine(JSON.stringify(line))).toEqual([
      { bundleId: 'com.reincubate.camo', name: 'Camo (Beta), by Reincubate' },
    ])
  })

  it('ignores a message macOS redacted whole, and never shows "<private>" as an app', () => {
    const withMessage = (base: string, eventMessage: string) =>
      JSON.stringify({ ...(JSON.parse(base) as object), eventMessage })
    // The whole list hidden: the line says nothing, so what was known stays.
    expect(
      parseSensorIndicatorLine(
        withMessage(FACETIME_CAM_AND_MIC, 'Active activity attributions changed to <private>'),
      ),
    ).toBeNull()
    expect(
      parseSensorIndicatorLine(
        withMessage(ZOOM_NEW_FORM, 'Sorted active attributions from SystemStatus update: <private>'),
      ),
    ).toBeNull()
    // One app hidden: an app uses the camera, but which one is not told.
    const sorted = 'Sorted active attributions from SystemStatus update: '
    for (const message of [
      `${sorted}[[cam] <private>, [mic] zoom.us (us.zoom.xos)]`,
      `${sorted}[[cam] <private> (<private>)]`,
      'Active activity attributions changed to ["cam:<private>", "mic:com.apple.FaceTime"]',
    ]) {
      const parsed = parseSensorIndicatorLine(withMessage(ZOOM_NEW_FORM, message))
      expect(parsed, message).toEqual([{ bundleId: '<private>' }])
    }
    expect(
      parseSensorIndicatorLine(withMessage(ZOOM_NEW_FORM, `${sorted}[[cam] zoom.us (<private>)]`)),
    ).toEqual([{ bundleId: '<private>', name: 'zoom.us' }])
  })

  it('ignores the banner, other categories and messages from any other process', () => {
    expect(parseSensorIndicatorLine(FILTERING)).toBeNull()
    expect(parseSensorIndicatorLine(OTHER_CATEGORY)).toBeNull()
    expect(parseSensorIndicatorLine(SPOOFED_EMPTY)).toBeNull()
    const fromTmp = JSON.parse(FACETIME_CAM_AND_MIC) as Record<string, unknown>
    fromTmp.processImagePath = '/tmp/ControlCenter'
    expect(parseSensorIndicatorLine(JSON.stringify(fromTmp))).toBeNull()
    const otherProcess = { ...fromTmp, processImagePath: '/System/Library/CoreServices/SystemUIServer' }
    expect(parseSensorIndicatorLine(JSON.stringify(otherProcess))).toBeNull()
    // Without an image path, the process name must be ControlCenter.
    const { processImagePath: _drop, ...bare } = fromTmp
    expect(parseSensorIndicatorLine(JSON.stringify({ ...bare, process: 'ControlCenter' }))).toEqual([
      { bundleId: 'com.apple.FaceTime' },
    ])
    expect(parseSensorIndicatorLine(JSON.stringify({ ...bare, process: 'evil' }))).toBeNull()
  })

  it('never throws on arbitrary text or JSON', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const r = parseSensorIndicatorLine(s)
        return r === null || Array.isArray(r)
      }),
      { numRuns: 500 },
    )
    fc.assert(
      fc.property(fc.json(), (s) => {
        const r = parseSensorIndicatorLine(s)
        return r === null || Array.isArray(r)
      }),
      { numRuns: 500 },
    )
    // The right envelope around arbitrary messages, the case a parser bug would hide in.
    const message = fc.oneof(
      fc.string(),
      fc
        .array(
          fc.oneof(fc.constantFrom('[cam]', '[mic]', '(', ')', ', ', 'cam:', '"', '[', ']'), fc.string()),
        )
        .map((parts) => `Sorted active attributions from SystemStatus update: [${parts.join('')}]`),
      fc
        .array(fc.oneof(fc.constantFrom('"cam:', '"mic:', '", ', '"', '[', ']'), fc.string()))
        .map((parts) => `Active activity attributions changed to [${parts.join('')}]`),
      fc.anything(),
    )
    fc.assert(
      fc.property(message, (eventMessage) => {
        const line = JSON.stringify({
          ...(JSON.parse(FACETIME_CAM_AND_MIC) as object),
          eventMessage,
        })
        const r = parseSensorIndicatorLine(line)
        return r === null || r.every((a) => typeof a.bundleId === 'string')
      }),
      { numRuns: 500 },
    )
    expect(parseSensorIndicatorLine(null as unknown as string)).toBeNull()
  })
})

describe('helpers', () => {
  it('names bundles and reads lsappinfo', () => {
    expect(bundleDisplayName('us.zoom.xos')).toBe('zoom.us')
    expect(bundleDisplayName('com.example.SuperCam')).toBe('SuperCam')
    expect(bundleDisplayName('<private>')).toBe('Unknown app')
    expect(parseLsappinfoPid('"pid"=8123\n')).toBe(8123)
    expect(parseLsappinfoPid('')).toBeNull()
  })

  it('knows an administrator by the admin group (80) or root, without running a program', () => {
    expect(isAdministrator([20, 12, 61, 79, 80, 81], 501)).toBe(true)
    expect(isAdministrator([20, 12, 61], 502)).toBe(false)
    expect(isAdministrator([], 0)).toBe(true)
  })
})

describe('createAppNamer', () => {
  const namer = (extra: Partial<Parameters<typeof createAppNamer>[0]> = {}, answers = {}) => {
    const streams = fakeStreams()
    const run = fakeRunner(answers)
    const clock = new ManualClock(Date.parse('2024-05-14T09:40:00Z'))
    const n = createAppNamer({
      runner: run.runner,
      clock,
      spawnLines: streams.spawnLines,
      administrator: true,
      ...extra,
    })
    return { n, clock, ...streams, ...run }
  }

  it('follows the log and names the app, with its pid; a spoofed "nobody" is not believed', async () => {
    const { n, started, calls } = namer({}, { pids: { 'us.zoom.xos': 8123 } })
    let changes = 0
    n.start(() => changes++)
    expect(started.map((s) => [s.file, s.args])).toEqual([['log', LOG_STREAM_ARGS]])
    for (const line of [
      FILTERING,
      FACETIME_CAM_AND_MIC,
      OLD_EMPTY,
      ZOOM_NEW_FORM,
      OTHER_CATEGORY,
      SPOOFED_EMPTY,
    ])
      started[0]!.emit(line)
    expect(changes).toBe(3) // the three lines Control Center itself logged
    expect(await n.users(true)).toEqual([
      { pid: 8123, name: 'zoom.us', exe: null, evidence: 'os-report', bundleId: 'us.zoom.xos' },
    ])
    expect(calls.every((c) => c.timeoutMs === 5000)).toBe(true)
    n.close()
    expect(started[0]!.killed).toBe(true)
  })

  it('names several apps, with pid null for one lsappinfo cannot find; asks lsappinfo once per app', async () => {
    const { n, started, calls } = namer({}, { pids: { 'us.zoom.xos': 8123 } })
    n.start()
    started[0]!.emit(CHROME_AND_ZOOM)
    for (let i = 0; i < 5; i++) {
      expect((await n.users(true)).map((u) => [u.name, u.pid])).toEqual([
        ['Google Chrome', null],
        ['zoom.us', 8123],
      ])
    }
    expect(calls.filter((c) => c.file === 'lsappinfo')).toHaveLength(2)
    started[0]!.emit(NEW_EMPTY)
    expect(await n.users(false)).toEqual([])
    n.close()
  })

  it('shows a redacted app as "Unknown app" without asking lsappinfo, and keeps names over a redacted line', async () => {
    const { n, started, calls } = namer({}, { pids: { 'us.zoom.xos': 8123 } })
    n.start()
    const line = (eventMessage: string) =>
      JSON.stringify({ ...(JSON.parse(ZOOM_NEW_FORM) as object), eventMessage })
    started[0]!.emit(ZOOM_NEW_FORM)
    started[0]!.emit(line('Sorted active attributions from SystemStatus update: <private>'))
    expect((await n.users(true)).map((u) => u.name)).toEqual(['zoom.us'])
    started[0]!.emit(
      line(
        'Sorted active attributions from SystemStatus update: [[cam] <private>, [cam] zoom.us (us.zoom.xos)]',
      ),
    )
    expect(await n.users(true)).toEqual([
      { pid: null, name: 'Unknown app', exe: null, evidence: 'os-report' },
      { pid: 8123, name: 'zoom.us', exe: null, evidence: 'os-report', bundleId: 'us.zoom.xos' },
    ])
    const asked = calls.filter((c) => c.file === 'lsappinfo').map((c) => c.args.at(-1))
    expect(new Set(asked)).toEqual(new Set(['us.zoom.xos'])) // never for '<private>'
    n.close()
  })

  it('for an account that is not an administrator, starts no log program and says why once', async () => {
    const { n, started, calls } = namer({ administrator: false })
    n.start()
    expect(await n.users(true)).toEqual([])
    expect(started).toEqual([])
    expect(calls).toEqual([])
    expect(n.standingWarning()).toMatch(/only to administrator accounts/)
    expect(n.unnamedReason()).toBe(n.standingWarning())
  })

  it('names the app from the last hour when the camera was on before the stream started', async () => {
    const history = [
      FILTERING,
      FACETIME_CAM_AND_MIC,
      OLD_EMPTY,
      ZOOM_NEW_FORM,
      '{"count":3,"finished":1}',
    ].join('\n')
    const { n, calls } = namer({}, { logShow: ok(history) })
    expect((await n.users(true)).map((u) => u.name)).toEqual(['zoom.us'])
    expect(calls.find((c) => c.file === 'log')?.args.slice(0, 3)).toEqual(['show', '--style', 'ndjson'])
    await n.users(true)
    expect(calls.filter((c) => c.file === 'log')).toHaveLength(1)
    n.close()
  })

  it('restarts the log stream after it stopped, but not in a tight loop, and says why meanwhile', async () => {
    const { n, started, clock } = namer({ restartDelayMs: 60_000 })
    n.start()
    started[0]!.exit({ code: 64, stderr: "log: Must be admin to run 'stream' command\n" })
    await n.users(false)
    expect(started).toHaveLength(1)
    expect(n.unnamedReason()).toMatch(/exited with code 64 \(log: Must be admin/)
    await clock.advance(60_000)
    await n.users(false)
    expect(started).toHaveLength(2)
    n.close()
    expect(started[1]!.killed).toBe(true)
  })

  it('close() stops a real log-stream stand-in process', async () => {
    const { spawnLines: realSpawn } = await import('./spawn-lines.js')
    let exited: StreamExit | null = null
    let pid: number | null = null
    const spawnLines: SpawnLines = (_file, _args, onLine, onExit) =>
      realSpawn(
        process.execPath,
        ['-e', 'console.log(process.pid); setInterval(() => {}, 1000)'],
        (line) => {
          pid = Number(line)
          onLine(line)
        },
        (exit) => {
          exited = exit
          onExit(exit)
        },
      )
    const { n } = namer({ spawnLines })
    n.start()
    await expect.poll(() => pid, { timeout: 10_000 }).not.toBeNull()
    n.close()
    await expect.poll(() => exited, { timeout: 10_000 }).not.toBeNull()
    expect(() => process.kill(pid as unknown as number, 0)).toThrow()
  })
})
