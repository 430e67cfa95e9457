import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Clock, RunResult, Runner } from '../ports.js'
import type { SpawnLines, StreamExit } from './spawn-lines.js'
import {
  DARWIN_CAMERA_SCRIPT,
  LOG_STREAM_ARGS,
  bundleDisplayName,
  createDarwinDetector,
  parseAvDevices,
  parseLsappinfoPid,
  parseSensorIndicatorLine,
} from './darwin.js'

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
const JXA_ON = fixture('jxa-builtin-on.txt')
const JXA_OFF = fixture('jxa-all-off.txt')

function ok(stdout: string): RunResult {
  return { code: 0, signal: null, stdout, stderr: '', timedOut: false }
}

function manualClock(start = Date.parse('2024-05-14T09:40:00Z')) {
  let now = start
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  }
  return { clock, advance: (ms: number) => (now += ms) }
}

function fakeStreams() {
  const started: {
    file: string
    args: readonly string[]
    emit: (line: string) => void
    exit: (info: Partial<StreamExit>) => void
    killed: boolean
  }[] = []
  const spawnLines: SpawnLines = (file, args, onLine, onExit) => {
    const entry = {
      file,
      args,
      killed: false,
      emit: onLine,
      exit: (info: Partial<StreamExit>) => onExit({ code: null, signal: null, stderr: '', ...info }),
    }
    started.push(entry)
    return {
      kill() {
        entry.killed = true
      },
    }
  }
  return { spawnLines, started }
}

function fakeRunner(answers: {
  osascript?: RunResult | (() => Promise<RunResult>)
  logShow?: RunResult
  pids?: Record<string, number>
}) {
  const calls: { file: string; args: readonly string[]; timeoutMs: number | undefined }[] = []
  const runner: Runner = async (file, args, options) => {
    calls.push({ file, args, timeoutMs: options?.timeoutMs })
    if (file === 'osascript') {
      const a = answers.osascript ?? ok(JXA_OFF)
      return typeof a === 'function' ? a() : a
    }
    if (file === 'log') return answers.logShow ?? ok('')
    if (file === 'lsappinfo') {
      const pid = answers.pids?.[args[args.length - 1] as string]
      return ok(pid ? `"pid"=${pid}\n` : '')
    }
    return {
      code: null,
      signal: null,
      stdout: '',
      stderr: '',
      timedOut: false,
      spawnError: `spawn ${file} ENOENT`,
    }
  }
  return { runner, calls }
}

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

describe('parseAvDevices and helpers', () => {
  it('reads the JXA output', () => {
    expect(parseAvDevices(JXA_ON)).toEqual({
      ok: true,
      devices: [
        { id: '0x8020000005ac8514', name: 'FaceTime HD Camera', inUse: true },
        { id: '0x1400000046d085e', name: 'Logitech BRIO', inUse: false },
      ],
      errors: [],
    })
  })

  it('refuses output it cannot vouch for, rather than reading it as off', () => {
    expect(parseAvDevices('')).toMatchObject({ ok: false })
    expect(parseAvDevices('execution error: Error: ReferenceError (-2700)')).toMatchObject({ ok: false })
    expect(parseAvDevices('{"devices":[{"id":"x","name":"y","inUse":"[object Ref]"}]}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/cannot tell whether x is in use/),
    })
    expect(parseAvDevices('{"devices": 3}')).toMatchObject({ ok: false })
    expect(parseAvDevices('{not json')).toMatchObject({ ok: false })
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (s) => typeof parseAvDevices(s).ok === 'boolean'),
      { numRuns: 300 },
    )
  })

  it('asks AVFoundation for video devices and prints JSON', () => {
    expect(DARWIN_CAMERA_SCRIPT).toContain("ObjC.import('AVFoundation')")
    expect(DARWIN_CAMERA_SCRIPT).toContain('isInUseByAnotherApplication')
    expect(DARWIN_CAMERA_SCRIPT).toContain("devicesWithMediaType('vide')")
    expect(DARWIN_CAMERA_SCRIPT).toContain('JSON.stringify')
    // It is plain JavaScript: at least it must parse.
    expect(() => new Function(DARWIN_CAMERA_SCRIPT.replace("ObjC.import('AVFoundation')", ''))).not.toThrow()
  })

  it('names bundles and reads lsappinfo', () => {
    expect(bundleDisplayName('us.zoom.xos')).toBe('zoom.us')
    expect(bundleDisplayName('com.example.SuperCam')).toBe('SuperCam')
    expect(bundleDisplayName('<private>')).toBe('Unknown app')
    expect(parseLsappinfoPid('"pid"=8123\n')).toBe(8123)
    expect(parseLsappinfoPid('')).toBeNull()
  })
})

describe('createDarwinDetector', () => {
  it('names the app from the log and resolves its pid', async () => {
    const { spawnLines, started } = fakeStreams()
    const { runner, calls } = fakeRunner({ osascript: ok(JXA_ON), pids: { 'us.zoom.xos': 8123 } })
    const { clock } = manualClock()
    const detector = createDarwinDetector({ runner, clock, spawnLines })
    await detector.snapshot()
    expect(started).toHaveLength(1)
    expect(started[0]?.file).toBe('log')
    expect(started[0]?.args).toEqual(LOG_STREAM_ARGS)
    for (const line of [
      FILTERING,
      FACETIME_CAM_AND_MIC,
      OLD_EMPTY,
      ZOOM_NEW_FORM,
      OTHER_CATEGORY,
      SPOOFED_EMPTY,
    ]) {
      started[0]?.emit(line)
    }
    const snap = await detector.snapshot()
    expect(snap).toMatchObject({
      state: 'on',
      detector: 'darwin-avfoundation',
      checkedAt: '2024-05-14T09:40:00.000Z',
    })
    expect(snap.cameras.map((c) => [c.name, c.inUse])).toEqual([
      ['FaceTime HD Camera', true],
      ['Logitech BRIO', false],
    ])
    // The spoofed "[]" after Zoom's report did not hide Zoom.
    expect(snap.cameras[0]?.users).toEqual([{ pid: 8123, name: 'zoom.us', exe: null, evidence: 'os-report' }])
    expect(snap.cameras[1]?.users).toEqual([])
    expect(snap.warnings).toEqual([])
    const osa = calls.find((c) => c.file === 'osascript')
    expect(osa?.args).toEqual(['-l', 'JavaScript', '-e', DARWIN_CAMERA_SCRIPT])
    expect(calls.every((c) => c.timeoutMs === 5000)).toBe(true)
    await detector.close()
  })

  it('reports several apps, and pid null for one that lsappinfo cannot find', async () => {
    const { spawnLines, started } = fakeStreams()
    const { runner } = fakeRunner({ osascript: ok(JXA_ON), pids: { 'us.zoom.xos': 8123 } })
    const detector = createDarwinDetector({ runner, clock: manualClock().clock, spawnLines })
    await detector.snapshot()
    started[0]?.emit(CHROME_AND_ZOOM)
    const snap = await detector.snapshot()
    expect(snap.cameras[0]?.users.map((u) => [u.name, u.pid])).toEqual([
      ['Google Chrome', null],
      ['zoom.us', 8123],
    ])
    await detector.close()
  })

  it('says off when no camera is busy and the log agrees', async () => {
    const { spawnLines, started } = fakeStreams()
    const { runner } = fakeRunner({ osascript: ok(JXA_OFF) })
    const detector = createDarwinDetector({ runner, clock: manualClock().clock, spawnLines })
    await detector.snapshot()
    started[0]?.emit(NEW_EMPTY)
    const snap = await detector.snapshot()
    expect(snap.state).toBe('off')
    expect(snap.cameras).toHaveLength(3)
    expect(snap.cameras.every((c) => !c.inUse && c.users.length === 0)).toBe(true)
    await detector.close()
  })

  it('trusts Control Center when it reports a camera AVFoundation does not see as busy', async () => {
    const { spawnLines, started } = fakeStreams()
    const { runner } = fakeRunner({ osascript: ok(JXA_OFF) })
    const detector = createDarwinDetector({ runner, clock: manualClock().clock, spawnLines })
    await detector.snapshot()
    started[0]?.emit(FACETIME_CAM_AND_MIC)
    const snap = await detector.snapshot()
    expect(snap.state).toBe('on')
    expect(snap.cameras.at(-1)).toMatchObject({ inUse: true, users: [{ name: 'FaceTime' }] })
    expect(snap.warnings.join('\n')).toMatch(/Control Center reports the camera in use/)
    await detector.close()
  })

  it('without admin rights, reports the camera on with the app unnamed and says how to get names', async () => {
    const { spawnLines, started } = fakeStreams()
    const { runner } = fakeRunner({
      osascript: ok(JXA_ON),
      logShow: { code: 64, signal: null, stdout: '', stderr: 'log: Must be admin', timedOut: false },
    })
    const detector = createDarwinDetector({ runner, clock: manualClock().clock, spawnLines })
    await detector.snapshot()
    started[0]?.exit({ code: 64, stderr: "log: Must be admin to run 'stream' command\n" })
    const snap = await detector.snapshot()
    expect(snap.state).toBe('on')
    expect(snap.cameras[0]?.users).toEqual([
      { pid: null, name: 'Unknown app', exe: null, evidence: 'os-report' },
    ])
    expect(snap.warnings).toHaveLength(1)
    expect(snap.warnings[0]).toMatch(/Must be admin.*administrator account/)
    await detector.close()
  })

  it('names the app from recent history when the camera was on before the stream started', async () => {
    const { spawnLines } = fakeStreams()
    const history = [
      FILTERING,
      FACETIME_CAM_AND_MIC,
      OLD_EMPTY,
      ZOOM_NEW_FORM,
      '{"count":3,"finished":1}',
    ].join('\n')
    const { runner, calls } = fakeRunner({ osascript: ok(JXA_ON), logShow: ok(history) })
    const detector = createDarwinDetector({ runner, clock: manualClock().clock, spawnLines })
    const snap = await detector.snapshot()
    expect(snap.cameras[0]?.users.map((u) => u.name)).toEqual(['zoom.us'])
    expect(calls.find((c) => c.file === 'log')?.args.slice(0, 3)).toEqual(['show', '--style', 'ndjson'])
    await detector.close()
  })

  it('restarts the log stream after it stopped, but not in a tight loop', async () => {
    const { spawnLines, started } = fakeStreams()
    const { runner } = fakeRunner({ osascript: ok(JXA_OFF) })
    const { clock, advance } = manualClock()
    const detector = createDarwinDetector({ runner, clock, spawnLines, restartDelayMs: 60_000 })
    await detector.snapshot()
    started[0]?.exit({ signal: 'SIGKILL' })
    await detector.snapshot()
    expect(started).toHaveLength(1)
    advance(60_000)
    await detector.snapshot()
    expect(started).toHaveLength(2)
    await detector.close()
    expect(started[1]?.killed).toBe(true)
  })

  const failures: [string, RunResult | (() => Promise<RunResult>), RegExp][] = [
    [
      'timeout',
      { code: null, signal: 'SIGTERM', stdout: '', stderr: '', timedOut: true },
      /osascript did not answer within 5 s/,
    ],
    [
      'non-zero exit',
      {
        code: 1,
        signal: null,
        stdout: '',
        stderr: 'execution error: Error: TypeError: undefined is not an object (-2700)\n',
        timedOut: false,
      },
      /osascript exited with code 1: execution error/,
    ],
    [
      'spawn error',
      {
        code: null,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        spawnError: 'spawn osascript ENOENT',
      },
      /could not start osascript: spawn osascript ENOENT/,
    ],
    ['garbage output', ok('true\n'), /cannot read macOS's camera list: unexpected output: true/],
    ['a runner that throws', () => Promise.reject(new Error('boom')), /could not start osascript: boom/],
  ]
  for (const [what, answer, error] of failures) {
    it(`says unknown, never off, on ${what}`, async () => {
      const { spawnLines } = fakeStreams()
      const { runner } = fakeRunner({ osascript: answer })
      const detector = createDarwinDetector({ runner, clock: manualClock().clock, spawnLines })
      const snap = await detector.snapshot()
      expect(snap.state).toBe('unknown')
      expect(snap.cameras).toEqual([])
      expect(snap.error).toMatch(error)
      await detector.close()
    })
  }

  it('close() kills the log stream and later snapshots say unknown', async () => {
    const { spawnLines, started } = fakeStreams()
    const { runner, calls } = fakeRunner({ osascript: ok(JXA_ON) })
    const detector = createDarwinDetector({ runner, clock: manualClock().clock, spawnLines })
    await detector.snapshot()
    expect(started[0]?.killed).toBe(false)
    await detector.close()
    expect(started[0]?.killed).toBe(true)
    started[0]?.exit({ signal: 'SIGTERM' })
    const before = calls.length
    const snap = await detector.snapshot()
    expect(snap.state).toBe('unknown')
    expect(calls.length).toBe(before)
    expect(started).toHaveLength(1)
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
    const { runner } = fakeRunner({ osascript: ok(JXA_OFF) })
    const detector = createDarwinDetector({ runner, clock: manualClock().clock, spawnLines })
    await detector.snapshot()
    await expect.poll(() => pid, { timeout: 10_000 }).not.toBeNull()
    await detector.close()
    await expect.poll(() => exited, { timeout: 10_000 }).not.toBeNull()
    expect(() => process.kill(pid as unknown as number, 0)).toThrow()
  })
})
