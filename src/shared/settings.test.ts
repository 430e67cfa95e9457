import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, parseSettingsFile, settingsJsonSchema, validateSetting } from './settings.js'

describe('validateSetting', () => {
  it.each([
    ['stillOnMinutes', 0.05],
    ['stillOnMinutes', 15],
    ['notifyFor', 'all'],
    ['quietHours', { start: '22:00', end: '07:00' }],
    ['quietHours', null],
    ['pollIntervalMs', 250],
    ['devicePatterns', ['/dev/video*', '/tmp/cam*']],
    ['region', 'uk'],
    ['trustedApps', ['zoom', '/usr/bin/cheese']],
    ['startAtLogin', false],
  ])('accepts %s = %j', (key, value) => {
    expect(validateSetting(key, value)).toMatchObject({ ok: true })
  })

  it.each([
    ['stillOnMinutes', -3, 'stillOnMinutes'],
    ['stillOnMinutes', 'soon', 'stillOnMinutes'],
    ['notifyFor', 'sometimes', 'notifyFor'],
    ['quietHours', { start: '25:99', end: '07:00' }, 'quietHours.start'],
    ['quietHours', '22:00', 'quietHours'],
    ['pollIntervalMs', 10, 'pollIntervalMs'],
    ['pollIntervalMs', 1000.5, 'pollIntervalMs'],
    ['devicePatterns', [], 'devicePatterns'],
    ['region', 'mars', 'region'],
    ['trustedApps', [''], 'trustedApps'],
    ['startAtLogin', 'yes', 'startAtLogin'],
  ])('refuses %s = %j with a message naming %s', (key, value, named) => {
    const result = validateSetting(key, value)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toContain(named)
  })

  it('refuses an unknown key and lists the known ones', () => {
    const result = validateSetting('colour', 'blue')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatch(/unknown setting "colour".*trustedApps/)
  })
})

describe('parseSettingsFile', () => {
  it('fills missing keys with defaults and keeps unknown keys aside', () => {
    const result = parseSettingsFile({ notifyFor: 'all', futureKey: 1 })
    expect(result).toEqual({
      ok: true,
      settings: { ...DEFAULT_SETTINGS, notifyFor: 'all' },
      extra: { futureKey: 1 },
    })
  })

  it('names each bad key', () => {
    const result = parseSettingsFile({ stillOnMinutes: 0, region: 'xx' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.issues.map((i) => i.key).sort()).toEqual(['region', 'stillOnMinutes'])
  })
})

describe('settingsJsonSchema', () => {
  it('describes every setting for conf and electron-store', () => {
    expect(Object.keys(settingsJsonSchema()).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort())
  })
})
