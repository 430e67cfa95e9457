import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings.js'
import { openSettingsStore } from '../core/settings-store.js'
import { RuntimeError, UsageError } from './errors.js'
import { openCliSettings, settingRefused } from './settings.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'camguard-settings-'))

describe('the CLI settings store (conf on the shared file)', () => {
  it('writes a private file, validates each change, and reads changes made by another writer', () => {
    const dir = tmp()
    const notices: string[] = []
    const store = openCliSettings(dir, (m) => notices.push(m))
    expect(store.get()).toEqual(DEFAULT_SETTINGS)
    expect(store.set('stillOnMinutes', 5)).toMatchObject({ ok: true })
    expect(store.set('stillOnMinutes', -1)).toMatchObject({
      ok: false,
      error: expect.stringContaining('"still on" reminder'),
    })
    expect(store.get().stillOnMinutes).toBe(5)
    expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600)
    // another process (the app) writes the same file
    const other = openCliSettings(dir, () => undefined)
    other.set('trustedApps', ['zoom'])
    expect(store.get().trustedApps).toEqual(['zoom'])
    store.close()
    other.close()
    expect(notices).toEqual([])
  })

  it('recovers from a corrupt file at start and tells the user', () => {
    const dir = tmp()
    writeFileSync(join(dir, 'settings.json'), '{oops')
    const notices: string[] = []
    const store = openCliSettings(dir, (m) => notices.push(m))
    expect(store.get()).toEqual(DEFAULT_SETTINGS)
    expect(notices[0]).toMatch(/moved to .*settings\.corrupt-/)
    store.close()
  })

  it('tells listeners about changes written by another process', async () => {
    const dir = tmp()
    const store = openCliSettings(dir, () => undefined, true)
    const seen = new Promise<Settings['trustedApps']>((resolve) =>
      store.onChange((s) => resolve(s.trustedApps)),
    )
    const other = openCliSettings(dir, () => undefined)
    other.set('trustedApps', ['cheese'])
    expect(await seen).toEqual(['cheese'])
    store.close()
    other.close()
  })
})

describe('settingRefused', () => {
  it('makes a bad value a usage error (exit 2) and a value that could not be saved a failure (exit 1)', () => {
    const bad = settingRefused(
      { ok: false, error: 'Quiet hours start must be a time like 22:30.' },
      'Nothing was changed.',
    )
    expect(bad).toBeInstanceOf(UsageError)
    expect(bad.message).toBe('Quiet hours start must be a time like 22:30. Nothing was changed.')
    const io = settingRefused({ ok: false, io: true, error: 'Could not save stillOnMinutes to x: EROFS.' })
    expect(io).toBeInstanceOf(RuntimeError)
    expect((io as RuntimeError).exitCode).toBe(1)
  })

  it('a store that cannot write says so as an I/O failure, and keeps the settings it read', () => {
    const dir = tmp()
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ stillOnMinutes: 30 }))
    const store = openSettingsStore({
      dir,
      open: () => {
        throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' })
      },
    })
    expect(store.get().stillOnMinutes).toBe(30)
    expect(store.set('stillOnMinutes', 20)).toMatchObject({
      ok: false,
      io: true,
      error: expect.stringMatching(/EROFS/),
    })
    store.close()
  })
})
