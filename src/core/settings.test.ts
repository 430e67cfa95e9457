import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dataDir } from './data-dir.js'
import { recoverSettingsFile } from './settings.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'camguard-settings-'))

describe('dataDir', () => {
  it('is the documented folder on each platform (docs/architecture.md, "Files"), with the override first', () => {
    expect(dataDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux', '/home/a')).toBe('/x/cfg/camguard')
    expect(dataDir({}, 'linux', '/home/a')).toBe('/home/a/.config/camguard')
    expect(dataDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/a')).toBe('/home/a/.config/camguard')
    expect(dataDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/CamGuard')
    expect(dataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a')).toMatch(
      /Roaming.CamGuard$/,
    )
    expect(dataDir({ CAMGUARD_DATA_DIR: '/d' }, 'linux', '/home/a')).toBe('/d')
  })
})

describe('recoverSettingsFile', () => {
  it('leaves a missing or valid file alone', () => {
    const dir = tmp()
    expect(recoverSettingsFile(dir).notice).toBeNull()
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ notifyFor: 'all' }))
    expect(recoverSettingsFile(dir).notice).toBeNull()
    expect(readdirSync(dir)).toEqual(['settings.json'])
  })

  it.each([
    ['broken JSON', '{"notifyFor": "all",', /not valid JSON/],
    ['a bad value', '{"stillOnMinutes": -1}', /stillOnMinutes/],
    ['not an object', '[1,2]', /JSON object/],
    ['nothing in it', '', /it is empty/],
    ['only white space', ' \n', /it is empty/],
    ['a fraction of a minute', '{"remindEveryMinutes": 0.0000001}', /whole number of minutes/],
  ])('moves a file with %s aside, keeps its bytes, and says so', (_what, text, problem) => {
    const dir = tmp()
    writeFileSync(join(dir, 'settings.json'), text)
    const { notice } = recoverSettingsFile(dir, new Date('2026-11-28T10:00:00Z'))
    expect(notice).toMatch(problem)
    expect(notice).toMatch(/default settings are in use/)
    const aside = readdirSync(dir).filter((f) => f.startsWith('settings.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(text)
    expect(readdirSync(dir)).not.toContain('settings.json')
  })

  it('moves aside a settings.json that cannot be read (a folder in its place)', () => {
    const dir = tmp()
    mkdirSync(join(dir, 'settings.json'))
    writeFileSync(join(dir, 'settings.json', 'inside'), 'kept')
    const { notice } = recoverSettingsFile(dir, new Date('2026-11-28T10:00:00Z'))
    expect(notice).toMatch(
      /could not be read \(EISDIR.*moved to .*settings\.corrupt-.*default settings are in use/,
    )
    const aside = readdirSync(dir).filter((f) => f.startsWith('settings.corrupt-'))
    expect(readFileSync(join(dir, aside[0]!, 'inside'), 'utf8')).toBe('kept')
  })
})
