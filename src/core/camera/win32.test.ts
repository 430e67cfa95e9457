import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Clock, RunResult, Runner } from '../ports.js'
import {
  CONSENT_STORE_KEYS,
  createWin32Detector,
  filetimeToDate,
  packageDisplayName,
  parseConsentStore,
  type ProcessInfo,
} from './win32.js'

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../tests/fixtures/win32/${name}`, import.meta.url)), 'utf8')

const HKCU = fixture('hkcu-consent-store.txt')
const HKLM = fixture('hklm-consent-store.txt')
const HKCU_STOPPED = fixture('hkcu-all-stopped.txt')
const NOW = Date.parse('2024-05-14T09:31:00Z')

const clock: Clock = {
  now: () => NOW,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

const ok = (stdout: string): RunResult => ({ code: 0, signal: null, stdout, stderr: '', timedOut: false })
const NOT_FOUND: RunResult = {
  code: 1,
  signal: null,
  stdout: '',
  stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n',
  timedOut: false,
}

interface Call {
  file: string
  args: readonly string[]
  timeoutMs: number | undefined
}

function fakeRunner(byHive: { HKCU: RunResult | (() => Promise<RunResult>); HKLM: RunResult }) {
  const calls: Call[] = []
  const runner: Runner = async (file, args, options) => {
    calls.push({ file, args, timeoutMs: options?.timeoutMs })
    const answer = args[1] === CONSENT_STORE_KEYS.HKLM ? byHive.HKLM : byHive.HKCU
    return typeof answer === 'function' ? answer() : answer
  }
  return { runner, calls }
}

const PROCESSES: ProcessInfo[] = [
  { pid: 4, name: 'System', path: null },
  { pid: 900, name: 'explorer.exe', path: 'C:\\Windows\\explorer.exe' },
  {
    pid: 4120,
    name: 'Zoom.exe',
    path: 'C:\\Users\\alex\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe',
    parentPid: 900,
  },
  {
    pid: 4188,
    name: 'Zoom.exe',
    path: 'C:\\Users\\alex\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe',
    parentPid: 4120,
  },
  {
    pid: 7312,
    name: 'WindowsCamera.exe',
    path: 'C:\\Program Files\\WindowsApps\\Microsoft.WindowsCamera_2024.2402.1.0_x64__8wekyb3d8bbwe\\WindowsCamera.exe',
    parentPid: 1020,
  },
  // OBS runs elevated: a standard user sees its name but not its path.
  { pid: 5550, name: 'obs64.exe', path: null, parentPid: 900 },
  { pid: 6001, name: 'chrome.exe', path: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe' },
]

describe('parseConsentStore', () => {
  it('reads every app of the HKCU store with readable names, paths and times', () => {
    const entries = parseConsentStore(HKCU)
    expect(entries.map((e) => [e.app, e.packaged, e.inUse])).toEqual([
      ['Skype', true, false],
      ['Windows Camera', true, true],
      ['Microsoft Teams', true, false],
      ['ObsCam', false, true],
      ['chrome', false, false],
      ['Zoom', false, true],
    ])
    const zoom = entries.find((e) => e.app === 'Zoom')
    expect(zoom).toMatchObject({
      hive: 'HKCU',
      path: 'C:\\Users\\alex\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe',
      packageFamilyName: null,
      lastUsedStop: null,
    })
    expect(zoom?.lastUsedStart?.toISOString()).toBe('2024-05-14T09:12:05.000Z')
    const camera = entries.find((e) => e.packageFamilyName === 'Microsoft.WindowsCamera_8wekyb3d8bbwe')
    expect(camera).toMatchObject({ app: 'Windows Camera', path: null, inUse: true })
    expect(camera?.lastUsedStart?.toISOString()).toBe('2024-05-14T09:30:00.000Z')
    const chrome = entries.find((e) => e.app === 'chrome')
    expect(chrome?.lastUsedStop?.toISOString()).toBe('2024-05-13T18:45:10.000Z')
    // Never used: no times at all.
    expect(entries.find((e) => e.app === 'Microsoft Teams')).toMatchObject({
      lastUsedStart: null,
      lastUsedStop: null,
    })
  })

  it('tells the machine-wide hive apart', () => {
    const entries = parseConsentStore(HKLM)
    expect(entries.map((e) => [e.hive, e.app, e.inUse])).toEqual([
      ['HKLM', 'obs64', true],
      ['HKLM', 'powershell', false],
    ])
  })

  it('reads LF output the same as CRLF output', () => {
    expect(HKCU).toContain('\r\n')
    expect(parseConsentStore(HKCU.replace(/\r\n/g, '\n'))).toEqual(parseConsentStore(HKCU))
  })

  it('accepts keys and value names in any case', () => {
    const entries = parseConsentStore(HKCU.toLowerCase())
    expect(entries.filter((e) => e.inUse).map((e) => e.path ?? e.packageFamilyName)).toEqual([
      'microsoft.windowscamera_8wekyb3d8bbwe',
      'c:\\program files (x86)\\obscure cam\\obscam.exe',
      'c:\\users\\alex\\appdata\\roaming\\zoom\\bin\\zoom.exe',
    ])
  })

  it('skips unknown values, other keys and trailing noise', () => {
    const output = [
      'HKEY_CURRENT_USER\\Software\\Other\\Key',
      '    LastUsedTimeStart    REG_QWORD    0x1daa5e14aae1c00',
      'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\CapabilityAccessManager\\ConsentStore\\webcamX\\App_1',
      '    LastUsedTimeStart    REG_QWORD    0x1daa5e14aae1c00',
      'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\CapabilityAccessManager\\ConsentStore\\webcam\\Vendor.App_abc123',
      '    SomethingNew    REG_BINARY    0102',
      '    LastUsedTimeStart    REG_QWORD    0x1daa5e14aae1c00',
      '    LastUsedTimeStop    REG_QWORD    not-a-number',
      '    Value    REG_SZ',
      'End of search: 3 match(es) found.',
    ].join('\r\n')
    const entries = parseConsentStore(output)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ app: 'App', packaged: true, inUse: true, lastUsedStop: null })
  })

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => Array.isArray(parseConsentStore(text))),
      { numRuns: 500 },
    )
    const piece = fc.constantFrom(
      'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\CapabilityAccessManager\\ConsentStore\\webcam',
      '\\NonPackaged',
      '\\C:#x#y.exe',
      '\\Pkg_1',
      '    LastUsedTimeStart    REG_QWORD    ',
      '    LastUsedTimeStop    REG_QWORD    ',
      '0x',
      'ffffffffffffffffffffff',
      '0x0',
      '\r\n',
      '\n',
      '#',
      ' ',
    )
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 40 }), (parts) => {
        const entries = parseConsentStore(parts.join(''))
        return entries.every((e) => typeof e.app === 'string' && typeof e.inUse === 'boolean')
      }),
      { numRuns: 500 },
    )
    expect(parseConsentStore(undefined as unknown as string)).toEqual([])
  })
})

describe('packageDisplayName and filetimeToDate', () => {
  it('turns package family names into readable names', () => {
    expect(packageDisplayName('Microsoft.WindowsCamera_8wekyb3d8bbwe')).toBe('Windows Camera')
    expect(packageDisplayName('SpotifyAB.SpotifyMusic_zpdnekdrzrea0')).toBe('Spotify Music')
    expect(packageDisplayName('Contoso.HDRVideoRecorder_1234abcd')).toBe('HDR Video Recorder')
    expect(packageDisplayName('Vendor_x')).toBe('Vendor')
  })

  it('converts FILETIME and refuses zero or absurd values', () => {
    expect(filetimeToDate(0x1daa5e14aae1c00n)?.toISOString()).toBe('2024-05-14T09:30:00.000Z')
    expect(filetimeToDate(0n)).toBeNull()
    expect(filetimeToDate(null)).toBeNull()
    expect(filetimeToDate(0xffffffffffffffffffffn)).toBeNull()
  })
})

describe('createWin32Detector', () => {
  it('names the running apps that use the camera and ignores the stale record', async () => {
    const { runner, calls } = fakeRunner({ HKCU: ok(HKCU), HKLM: ok(HKLM) })
    const detector = createWin32Detector({ runner, clock, listProcesses: async () => PROCESSES })
    const snap = await detector.snapshot()
    expect(snap.state).toBe('on')
    expect(snap.detector).toBe('win32-consent')
    expect(snap.checkedAt).toBe('2024-05-14T09:31:00.000Z')
    expect(snap.cameras).toHaveLength(1)
    expect(snap.cameras[0]).toMatchObject({ id: 'win32-webcam', inUse: true })
    expect(snap.cameras[0]?.users).toEqual([
      {
        pid: 7312,
        name: 'Windows Camera',
        exe: 'C:\\Program Files\\WindowsApps\\Microsoft.WindowsCamera_2024.2402.1.0_x64__8wekyb3d8bbwe\\WindowsCamera.exe',
        evidence: 'os-report',
      },
      // The main Zoom process, not its child.
      {
        pid: 4120,
        name: 'Zoom',
        exe: 'C:\\Users\\alex\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe',
        evidence: 'os-report',
      },
      {
        pid: 5550,
        name: 'obs64',
        exe: 'C:\\Program Files\\OBS Studio\\bin\\64bit\\obs64.exe',
        evidence: 'os-report',
      },
    ])
    expect(snap.warnings.join('\n')).toMatch(/ObsCam is not running/)
    expect(calls).toEqual([
      { file: 'reg.exe', args: ['query', CONSENT_STORE_KEYS.HKCU, '/s'], timeoutMs: 5000 },
      { file: 'reg.exe', args: ['query', CONSENT_STORE_KEYS.HKLM, '/s'], timeoutMs: 5000 },
    ])
  })

  it('says off when every app stopped, without listing processes', async () => {
    const { runner } = fakeRunner({ HKCU: ok(HKCU_STOPPED), HKLM: NOT_FOUND })
    let listed = 0
    const detector = createWin32Detector({
      runner,
      clock,
      listProcesses: async () => {
        listed++
        return PROCESSES
      },
    })
    const snap = await detector.snapshot()
    expect(snap.state).toBe('off')
    expect(snap.cameras[0]).toMatchObject({ inUse: false, users: [] })
    expect(snap.warnings).toEqual([])
    expect(listed).toBe(0)
  })

  it('says off, with a warning, when the only record is stale', async () => {
    const onlyStale = HKCU.split(/\r\n\r\n/)
      .filter((block) => !/Zoom|WindowsCamera/.test(block))
      .join('\r\n\r\n')
    const { runner } = fakeRunner({ HKCU: ok(onlyStale), HKLM: NOT_FOUND })
    const snap = await createWin32Detector({ runner, clock, listProcesses: async () => PROCESSES }).snapshot()
    expect(snap.state).toBe('off')
    expect(snap.warnings).toHaveLength(1)
    expect(snap.warnings[0]).toMatch(/ObsCam.*crash/)
  })

  it('reports a packaged app with no visible process with pid null and a warning', async () => {
    const { runner } = fakeRunner({ HKCU: ok(HKCU), HKLM: NOT_FOUND })
    const withoutCamera = PROCESSES.filter((p) => p.pid !== 7312)
    const snap = await createWin32Detector({
      runner,
      clock,
      listProcesses: async () => withoutCamera,
    }).snapshot()
    expect(snap.state).toBe('on')
    expect(snap.cameras[0]?.users[0]).toEqual({
      pid: null,
      name: 'Windows Camera',
      exe: null,
      evidence: 'os-report',
    })
    expect(snap.warnings.join('\n')).toMatch(/no process of it was found/)
  })

  it('still reports the apps, unnamed by pid, when processes cannot be listed', async () => {
    const { runner } = fakeRunner({ HKCU: ok(HKCU), HKLM: NOT_FOUND })
    const snap = await createWin32Detector({
      runner,
      clock,
      listProcesses: async () => {
        throw new Error('powershell.exe not found')
      },
    }).snapshot()
    expect(snap.state).toBe('on')
    expect(snap.cameras[0]?.users.map((u) => [u.name, u.pid])).toEqual([
      ['Windows Camera', null],
      ['ObsCam', null],
      ['Zoom', null],
    ])
    expect(snap.warnings.join('\n')).toMatch(/powershell.exe not found/)
  })

  it('does not wait forever for the process list', async () => {
    const { runner } = fakeRunner({ HKCU: ok(HKCU), HKLM: NOT_FOUND })
    const snap = await createWin32Detector({
      runner,
      clock,
      processTimeoutMs: 30,
      listProcesses: () => new Promise(() => {}),
    }).snapshot()
    expect(snap.state).toBe('on')
    expect(snap.warnings.join('\n')).toMatch(/no answer within 0.03 s/)
  })

  it('keeps going without the machine-wide store, with a warning', async () => {
    const { runner } = fakeRunner({
      HKCU: ok(HKCU),
      HKLM: { code: null, signal: 'SIGTERM', stdout: '', stderr: '', timedOut: true },
    })
    const snap = await createWin32Detector({ runner, clock, listProcesses: async () => PROCESSES }).snapshot()
    expect(snap.state).toBe('on')
    expect(snap.warnings.join('\n')).toMatch(/machine-wide.*did not answer within 5 s/)
  })

  const failures: [string, RunResult | (() => Promise<RunResult>), RegExp][] = [
    [
      'timeout',
      { code: null, signal: 'SIGTERM', stdout: '', stderr: '', timedOut: true },
      /reg query HKCU did not answer within 5 s/,
    ],
    [
      'non-zero exit',
      { code: 5, signal: null, stdout: '', stderr: 'ERROR: Access is denied.\r\n', timedOut: false },
      /exited with code 5: ERROR: Access is denied\./,
    ],
    [
      'spawn error',
      {
        code: null,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        spawnError: 'spawn reg.exe ENOENT',
      },
      /could not start reg query HKCU: spawn reg.exe ENOENT/,
    ],
    ['garbage output', ok('\u0000\u0001 ??? Syntax: REG QUERY KeyName\r\n'), /cannot read: .*Syntax/],
    ['missing store', NOT_FOUND, /no camera privacy record.*1903/],
    ['a runner that throws', () => Promise.reject(new Error('boom')), /reg query HKCU failed: boom/],
  ]
  for (const [what, answer, error] of failures) {
    it(`says unknown, never off, on ${what}`, async () => {
      const { runner } = fakeRunner({ HKCU: answer, HKLM: ok(HKLM) })
      const snap = await createWin32Detector({
        runner,
        clock,
        listProcesses: async () => PROCESSES,
      }).snapshot()
      expect(snap.state).toBe('unknown')
      expect(snap.cameras).toEqual([])
      expect(snap.error).toMatch(error)
      expect(snap.detector).toBe('win32-consent')
    })
  }

  it('answers unknown after close()', async () => {
    const { runner, calls } = fakeRunner({ HKCU: ok(HKCU), HKLM: ok(HKLM) })
    const detector = createWin32Detector({ runner, clock, listProcesses: async () => PROCESSES })
    await detector.close()
    const snap = await detector.snapshot()
    expect(snap.state).toBe('unknown')
    expect(calls).toHaveLength(0)
  })
})
