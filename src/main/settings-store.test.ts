import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Conf from 'conf'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '../shared/settings.js'
import { openAppSettings } from './settings-store.js'

// electron-store is conf with Electron's default paths; conf itself stands in for it under Node.
const dirs: string[] = []
const closers: (() => void)[] = []
function open(dir = mkdtempSync(join(tmpdir(), 'camguard-settings-'))) {
  dirs.push(dir)
  const notices: string[] = []
  const store = openAppSettings({
    dir,
    onNotice: (n) => notices.push(n),
    log: () => undefined,
    createStore: ({ name, ...options }) =>
      new Conf({ ...options, configName: name, projectName: 'camguard-test' } as never) as never,
  })
  closers.push(() => store.close())
  return { store, notices, dir }
}
afterEach(() => {
  closers.splice(0).forEach((c) => c())
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }))
})

describe('app settings', () => {
  it('uses settings.json in the data directory, mode 0600, defaults when absent', () => {
    const { store, notices, dir } = open()
    expect(store.path).toBe(join(dir, 'settings.json'))
    expect(notices).toEqual([])
    expect(store.get()).toEqual(DEFAULT_SETTINGS)
    expect(store.set('awayMinutes', 10)).toMatchObject({ ok: true, settings: { awayMinutes: 10 } })
    expect(statSync(store.path).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toMatchObject({ awayMinutes: 10 })
  })

  it('refuses a bad value with a message naming the key, and changes nothing', () => {
    const { store } = open()
    const r = store.set('stillOnMinutes', -3)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error).toBe(
      'The first "still on" reminder must be a whole number of minutes from 1 to 1440.',
    )
    expect(store.set('quietHours', { start: '25:00', end: '07:00' }).ok).toBe(false)
    expect(store.get().stillOnMinutes).toBe(15)
  })

  it('moves a corrupt file aside before opening the store, and says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'camguard-settings-'))
    writeFileSync(join(dir, 'settings.json'), '{ not json', { mode: 0o644 })
    const { store, notices } = open(dir)
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(/could not be used/)
    expect(readdirSync(dir).some((f) => /^settings\.corrupt-.*\.json$/.test(f))).toBe(true)
    expect(store.get()).toEqual(DEFAULT_SETTINGS)
  })

  it('moves aside a file with an invalid value, and tightens an existing good file to 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'camguard-settings-'))
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ awayMinutes: 'soon' }))
    expect(open(dir).notices[0]).toMatch(/awayMinutes/)
    const dir2 = mkdtempSync(join(tmpdir(), 'camguard-settings-'))
    writeFileSync(join(dir2, 'settings.json'), JSON.stringify({ awayMinutes: 7 }), { mode: 0o644 })
    const { store } = open(dir2)
    expect(store.get().awayMinutes).toBe(7)
    expect(statSync(store.path).mode & 0o777).toBe(0o600)
  })

  it('tells listeners about changes', () => {
    const { store } = open()
    const seen: number[] = []
    const off = store.onChange((s) => seen.push(s.awayMinutes))
    store.set('awayMinutes', 9)
    expect(store.reset()).toEqual(DEFAULT_SETTINGS)
    off()
    store.set('awayMinutes', 11)
    expect(seen).toEqual([9, 5])
  })
})
