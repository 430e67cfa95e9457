// The ConsentStore rules on recorded and constructed cases: which records Windows marks "in use"
// really are, and when the truth cannot be known.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { filetime, fixture, type WinRecording } from '../../../tests/support/native-fakes.js'
import { filetimeToMs, type WinProcess } from '../native/win32.js'
import {
  WINDOWS_SERVICE_APP,
  consentEntries,
  judgeConsent,
  matchProcesses,
  packageDisplayName,
} from './consent-store.js'

const RECORDED = fixture<WinRecording>('win32/consent-store.json')
const keys = (hive: 'HKCU' | 'HKLM') =>
  (RECORDED[hive] as { key: string; lastUsedTimeStart?: string; lastUsedTimeStop?: string }[]).map((k) => ({
    key: k.key,
    lastUsedTimeStart: k.lastUsedTimeStart ? BigInt(k.lastUsedTimeStart) : null,
    lastUsedTimeStop: k.lastUsedTimeStop ? BigInt(k.lastUsedTimeStop) : null,
  }))
const PROCESSES: WinProcess[] = RECORDED.processes!.map((p) => ({
  ...p,
  startMs: typeof p.startMs === 'string' ? Date.parse(p.startMs) : p.startMs,
}))

const entry = (path: string, startIso: string) =>
  consentEntries('HKCU', [
    {
      key: `NonPackaged\\${path.replace(/\\/g, '#')}`,
      lastUsedTimeStart: BigInt(filetime(startIso)),
      lastUsedTimeStop: 0n,
    },
  ])[0]!
const proc = (pid: number, path: string | null, startIso: string | null, name?: string): WinProcess => ({
  pid,
  parentPid: 1,
  name: name ?? (path ?? '').split('\\').pop()!,
  path,
  startMs: startIso ? Date.parse(startIso) : null,
})

describe('consent entries', () => {
  it('reads the recorded store: names, paths with # turned back into \\, times and "in use"', () => {
    const hkcu = consentEntries('HKCU', keys('HKCU'))
    expect(hkcu.map((e) => [e.app, e.path, e.inUse])).toEqual([
      ['Skype', null, false],
      ['Windows Camera', null, true],
      ['Microsoft Teams', null, false],
      ['ObsCam', 'C:\\Program Files (x86)\\Obscure Cam\\ObsCam.exe', true],
      ['chrome', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', false],
      ['Zoom', 'C:\\Users\\alex\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe', true],
    ])
    expect(new Date(hkcu[1]!.lastUsedStartMs!).toISOString()).toBe('2024-05-14T09:30:00.000Z')
    expect(consentEntries('HKLM', keys('HKLM')).map((e) => [e.hive, e.app, e.inUse])).toEqual([
      ['HKLM', 'obs64', true],
      ['HKLM', 'powershell', false],
    ])
  })

  it("names svchost.exe entries as Windows' own", () => {
    const e = entry('C:\\Windows\\System32\\svchost.exe', '2024-05-14T09:00:00Z')
    expect(e).toMatchObject({ app: WINDOWS_SERVICE_APP, system: true })
  })

  it('turns package family names into readable names and converts FILETIMEs', () => {
    expect(packageDisplayName('Microsoft.WindowsCamera_8wekyb3d8bbwe')).toBe('Windows Camera')
    expect(packageDisplayName('SpotifyAB.SpotifyMusic_zpdnekdrzrea0')).toBe('Spotify Music')
    expect(packageDisplayName('Contoso.HDRVideoRecorder_1234abcd')).toBe('HDR Video Recorder')
    expect(filetimeToMs(0x1daa5e14aae1c00n)).toBe(Date.parse('2024-05-14T09:30:00Z'))
    expect(filetimeToMs(0n)).toBeNull()
    expect(filetimeToMs(0xffffffffffffffffffffn)).toBeNull()
  })

  it('never throws on any key name or value', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.string({ unit: 'binary' }),
            lastUsedTimeStart: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n })),
            lastUsedTimeStop: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n })),
          }),
        ),
        (records) => Array.isArray(judgeConsent(consentEntries('HKCU', records), PROCESSES, 'webcam').users),
      ),
      { numRuns: 300 },
    )
  })
})

describe('judgeConsent', () => {
  it('counts the running apps of the recording and ignores the record a crash left behind', () => {
    const entries = [...consentEntries('HKCU', keys('HKCU')), ...consentEntries('HKLM', keys('HKLM'))]
    const verdict = judgeConsent(entries, PROCESSES, 'webcam')
    expect(verdict.unknown).toBeUndefined()
    expect(verdict.users).toEqual([
      {
        pid: 8020,
        name: 'Windows Camera',
        exe: 'C:\\Program Files\\WindowsApps\\Microsoft.WindowsCamera_2024.2405.4.0_x64__8wekyb3d8bbwe\\WindowsCamera.exe',
        evidence: 'os-report',
      },
      {
        pid: 7312,
        name: 'Zoom',
        exe: 'C:\\Users\\alex\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe',
        evidence: 'os-report',
      },
      {
        pid: 6220,
        name: 'obs64',
        exe: 'C:\\Program Files\\OBS Studio\\bin\\64bit\\obs64.exe',
        evidence: 'os-report',
      },
    ])
    expect(verdict.warnings).toEqual([
      expect.stringMatching(/Ignored Windows' record that ObsCam uses the camera: it is not running/),
    ])
  })

  it('ignores a stale record of a program that runs again, started after the use began (Chrome)', () => {
    const chrome = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'
    const stale = entry(chrome, '2024-05-13T18:00:00Z') // Chrome crashed mid-call yesterday
    const verdict = judgeConsent([stale], [proc(9100, chrome, '2024-05-14T08:00:00Z')], 'webcam')
    expect(verdict.users).toEqual([])
    expect(verdict.warnings[0]).toMatch(/started again after that/)
    // The same record while the Chrome that began the call still runs: in use.
    const live = judgeConsent([stale], [proc(9100, chrome, '2024-05-13T17:00:00Z')], 'webcam')
    expect(live.users.map((u) => u.pid)).toEqual([9100])
  })

  it('shows an svchost entry as Windows, without a pid to stop, and only with a svchost that was running', () => {
    const svchost = 'C:\\Windows\\System32\\svchost.exe'
    const hello = entry(svchost, '2024-05-14T09:00:00Z')
    const verdict = judgeConsent(
      [hello],
      [proc(788, svchost, '2024-05-14T07:01:12Z'), proc(900, svchost, '2024-05-14T09:20:00Z')],
      'webcam',
    )
    expect(verdict.users).toEqual([
      { pid: null, name: WINDOWS_SERVICE_APP, exe: svchost, evidence: 'os-report' },
    ])
    // Left over from before the last restart: every svchost started after it.
    const beforeBoot = entry(svchost, '2024-05-13T22:00:00Z')
    expect(judgeConsent([beforeBoot], [proc(788, svchost, '2024-05-14T07:01:12Z')], 'webcam').users).toEqual(
      [],
    )
  })

  it('matches non-ASCII user paths (José, Łukasz) whatever the case Windows uses', () => {
    for (const user of ['José', 'Łukasz']) {
      const zoom = `C:\\Users\\${user}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe`
      const e = entry(zoom, '2024-05-14T09:12:05Z')
      const running = proc(7312, zoom.toUpperCase().replace('C:', '\\\\?\\c:'), '2024-05-14T09:10:00Z')
      expect(
        matchProcesses(e, [running]).map((p) => p.pid),
        user,
      ).toEqual([7312])
      expect(
        judgeConsent([e], [running], 'webcam').users.map((u) => u.name),
        user,
      ).toEqual(['Zoom'])
    }
  })

  it('matches a process whose path is hidden (elevated, another user) by file name, and counts it', () => {
    const obs = entry('C:\\Program Files\\OBS Studio\\bin\\64bit\\obs64.exe', '2024-05-14T08:58:31Z')
    const hidden = proc(6220, null, null, 'obs64.exe')
    expect(
      judgeConsent([obs], [proc(4, null, null, 'System'), hidden], 'webcam').users.map((u) => u.pid),
    ).toEqual([6220])
  })

  it('is unknown, never off, when the process list failed or came back empty', () => {
    const entries = consentEntries('HKCU', keys('HKCU'))
    const failed = judgeConsent(entries, new Error('CreateToolhelp32Snapshot failed: error 5'), 'webcam')
    expect(failed.unknown).toMatch(
      /Windows reports Windows Camera, ObsCam, Zoom using the camera, but the running programs could not be listed \(CreateToolhelp32Snapshot failed/,
    )
    const empty = judgeConsent(entries, [], 'webcam')
    expect(empty.unknown).toMatch(/the list came back empty/)
    // Nothing in use: no process list is needed to say off.
    const none = consentEntries('HKCU', keys('HKCU')).map((e) => ({ ...e, inUse: false }))
    expect(judgeConsent(none, new Error('x'), 'webcam')).toEqual({ users: [], warnings: [] })
  })

  it('speaks of the microphone for the microphone store', () => {
    const e = entry('C:\\Apps\\rec.exe', '2024-05-14T09:00:00Z')
    expect(judgeConsent([e], [], 'microphone').unknown).toMatch(/using the microphone/)
  })
})
