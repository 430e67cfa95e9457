// The trust rule, tested once for every face (policy, engine, CLI, main, window all import it).
import { describe, expect, it } from 'vitest'
import type { CameraUser } from './types.js'
import {
  addTrust,
  describeTrust,
  entriesNamed,
  impersonationText,
  isTrusted,
  matchTrust,
  resolveTrust,
  runnerOf,
  trustEntries,
  trustEntryFor,
  trustEntryOf,
  trustInstead,
  upgradeTrust,
  type TrustEntry,
} from './trust.js'

const app = (name: string, exe: string | null, pid = 42): CameraUser => ({ pid, name, exe, evidence: 'open' })
const zoomEntry: TrustEntry = { exe: '/opt/zoom/zoom', name: 'zoom', kinds: ['camera'] }

describe('matchTrust', () => {
  it('trusts the executable the system reports, whatever the app calls itself', () => {
    expect(matchTrust(app('zoom', '/opt/zoom/zoom'), [zoomEntry]).status).toBe('trusted')
    expect(matchTrust(app('ZoomWebinar', '/opt/zoom/zoom'), [zoomEntry]).status).toBe('trusted')
  })

  it('calls a program that takes a trusted name but runs another file an impersonation', () => {
    // A renamed copy of a program, and an interpreter that set its own name.
    for (const fake of [
      app('zoom', '/tmp/x/zoom'),
      app('zoom', '/usr/bin/python3.11'),
      app('python3', '/tmp/zoom'),
    ]) {
      const m = matchTrust(fake, [zoomEntry])
      expect(m).toEqual({ status: 'impersonation', entry: zoomEntry })
    }
    expect(matchTrust(app('ZOOM', '/tmp/x/zoom'), [zoomEntry]).status).toBe('impersonation')
  })

  it('does not trust an app whose executable it cannot see by an entry with an executable', () => {
    expect(matchTrust(app('zoom', null), [zoomEntry]).status).toBe('impersonation')
    expect(matchTrust(app('cheese', null), [zoomEntry]).status).toBe('untrusted')
  })

  it('trusts only for the devices the entry names', () => {
    expect(isTrusted(app('zoom', '/opt/zoom/zoom'), [zoomEntry], 'microphone')).toBe(false)
    expect(matchTrust(app('zoom', '/tmp/zoom'), [zoomEntry], 'microphone').status).toBe('untrusted')
    const both = { ...zoomEntry, kinds: ['camera', 'microphone'] as const }
    expect(
      isTrusted(app('zoom', '/opt/zoom/zoom'), [{ ...both, kinds: [...both.kinds] }], 'microphone'),
    ).toBe(true)
  })

  it('keeps older name-only entries working, by name or executable file name, ignoring case', () => {
    const old = trustEntries(['Zoom', 'zoomlauncher'])
    expect(old).toEqual([
      { exe: null, name: 'Zoom', kinds: ['camera'] },
      { exe: null, name: 'zoomlauncher', kinds: ['camera'] },
    ])
    expect(isTrusted(app('zoom', '/tmp/anything'), old)).toBe(true)
    expect(isTrusted(app('other', '/opt/zoom/ZoomLauncher'), old)).toBe(true)
    expect(isTrusted(app('zoo', '/opt/zoo'), old)).toBe(false)
  })

  it('reads an older full path as an executable entry; Windows paths ignore case and slash direction', () => {
    expect(trustEntryOf('/usr/bin/cheese')).toEqual({
      exe: '/usr/bin/cheese',
      name: 'cheese',
      kinds: ['camera'],
    })
    const chrome = trustEntryOf('C:\\Program Files\\Google\\chrome.exe')
    expect(isTrusted(app('chrome', 'c:/program files/google/CHROME.EXE'), [chrome])).toBe(true)
    // Elsewhere a path is exact: /OPT/ZOOM/zoom is another file.
    expect(isTrusted(app('zoom', '/OPT/ZOOM/zoom'), [zoomEntry])).toBe(false)
  })
})

describe('macOS apps named by bundle id', () => {
  const seen = (name: string, bundleId?: string): CameraUser => ({
    pid: 7,
    name,
    exe: null,
    evidence: 'os-report',
    ...(bundleId ? { bundleId } : {}),
  })

  it('trusts the bundle id the system attributes the use to, and not a name alone', () => {
    const made = trustEntryFor(seen('zoom.us', 'us.zoom.xos'), ['camera'])
    expect(made).toEqual({
      ok: true,
      entry: { exe: null, bundleId: 'us.zoom.xos', name: 'zoom.us', kinds: ['camera'] },
    })
    const entry = made.ok ? made.entry : zoomEntry
    expect(matchTrust(seen('zoom.us', 'US.ZOOM.XOS'), [entry]).status).toBe('trusted')
    expect(matchTrust(seen('zoom.us', 'com.evil.cam'), [entry]).status).toBe('impersonation')
    expect(matchTrust(seen('zoom.us'), [entry]).status).toBe('impersonation')
    expect(describeTrust(entry)).toBe('zoom.us: app us.zoom.xos (camera only)')
  })
})

describe('what can be trusted', () => {
  it('refuses interpreters and launchers, saying why', () => {
    for (const exe of [
      '/usr/bin/python3.11',
      '/usr/bin/node',
      '/bin/bash',
      '/usr/bin/flatpak',
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    ]) {
      expect(runnerOf(exe)).not.toBeNull()
      const made = trustEntryFor({ name: 'thing', exe }, ['camera'])
      expect(made.ok).toBe(false)
      if (!made.ok) expect(made.why).toMatch(/would trust every program it runs/)
    }
    expect(runnerOf('/opt/zoom/zoom')).toBeNull()
    expect(runnerOf('/usr/bin/pythonista-camera')).toBeNull()
  })

  it('says so plainly when the program given is the interpreter or launcher itself', () => {
    const python = trustEntryFor({ name: 'python3.11', exe: '/usr/bin/python3.11' }, ['camera'])
    expect(python).toEqual({
      ok: false,
      why: "/usr/bin/python3.11 is an interpreter (python3.11): trusting it would trust every script it runs, so CamGuard keeps alerting for it; trust the app's own program file instead",
    })
    const flatpak = trustEntryFor({ name: 'flatpak', exe: '/usr/bin/flatpak' }, ['microphone'])
    expect(flatpak.ok).toBe(false)
    if (!flatpak.ok)
      expect(flatpak.why).toMatch(
        /^\/usr\/bin\/flatpak is a launcher \(flatpak\): .* every program it starts/,
      )
    // An app of its own running inside one keeps naming the app.
    const script = trustEntryFor({ name: 'recorder', exe: '/usr/bin/python3.11' }, ['camera'])
    if (!script.ok)
      expect(script.why).toMatch(/^recorder runs inside python3\.11 \(\/usr\/bin\/python3\.11\)/)
    expect(script.ok).toBe(false)
  })

  it('refuses an app without an executable, asking for its path', () => {
    const made = trustEntryFor({ name: 'Unknown app', exe: null }, ['camera'])
    expect(made.ok).toBe(false)
    if (!made.ok) expect(made.why).toMatch(/path of its executable/)
  })
})

describe('resolving and changing the list', () => {
  const seen = [
    { app: app('zoom', '/opt/zoom/zoom'), kind: 'camera' as const },
    { app: app('zoom', '/opt/zoom/zoom'), kind: 'microphone' as const },
    { app: app('helper', '/opt/zoom/ZoomHelper'), kind: 'camera' as const },
    { app: app('tool', '/usr/bin/python3'), kind: 'camera' as const },
  ]

  it('resolves a name to the executables seen under it, for the devices they used', () => {
    expect(resolveTrust('ZOOM', seen)).toEqual({
      entries: [{ exe: '/opt/zoom/zoom', name: 'ZOOM', kinds: ['camera', 'microphone'] }],
      refused: [],
    })
    expect(resolveTrust('zoomhelper', seen).entries).toEqual([
      { exe: '/opt/zoom/ZoomHelper', name: 'zoomhelper', kinds: ['camera'] },
    ])
    expect(resolveTrust('tool', seen).refused).toHaveLength(1)
    expect(resolveTrust('skype', seen)).toEqual({ entries: [], refused: [] })
  })

  it('upgrades name-only entries that resolve and keeps the others, saying which', () => {
    const list = trustEntries(['zoom', 'skype', '/usr/bin/cheese'])
    const result = upgradeTrust(list, seen)
    expect(result.upgraded).toEqual([
      { from: list[0], to: [{ exe: '/opt/zoom/zoom', name: 'zoom', kinds: ['camera'] }] },
    ])
    expect(result.left).toEqual([list[1]])
    expect(result.list).toEqual([
      { exe: '/opt/zoom/zoom', name: 'zoom', kinds: ['camera'] },
      list[1],
      list[2],
    ])
  })

  it('replaces a name-only entry when the running app is trusted, keeping its devices', () => {
    const list: TrustEntry[] = [{ exe: null, name: 'zoom', kinds: ['microphone'] }]
    expect(trustInstead(list, 'Zoom', [zoomEntry])).toEqual([
      { ...zoomEntry, kinds: ['camera', 'microphone'] },
    ])
  })

  it('adds an identity once, merging devices; finds entries by name or path', () => {
    const list = addTrust(addTrust([], zoomEntry), { ...zoomEntry, name: 'Zoom', kinds: ['microphone'] })
    expect(list).toEqual([{ ...zoomEntry, kinds: ['camera', 'microphone'] }])
    expect(entriesNamed(list, 'ZOOM')).toHaveLength(1)
    expect(entriesNamed(list, '/opt/zoom/zoom')).toHaveLength(1)
    expect(entriesNamed(list, '/tmp/zoom')).toHaveLength(0)
  })

  it('says which entries are by name only, and what an impersonation is, plainly', () => {
    expect(describeTrust({ exe: null, name: 'zoom', kinds: ['camera'] })).toBe(
      'zoom: by name only (weaker) (camera only)',
    )
    expect(describeTrust(zoomEntry)).toBe('zoom: /opt/zoom/zoom (camera only)')
    expect(impersonationText(app('zoom', '/tmp/x/zoom'), zoomEntry)).toBe(
      'Process 42 calls itself zoom but runs /tmp/x/zoom, not the trusted /opt/zoom/zoom',
    )
  })
})
