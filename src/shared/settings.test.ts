import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, parseSettingsFile, settingsJsonSchema, validateSetting } from './settings.js'

describe('validateSetting', () => {
  it('virtual cameras and microphones do not alert unless the user asks', () => {
    expect(DEFAULT_SETTINGS.alertVirtualDevices).toBe(false)
  })

  it.each([
    ['stillOnMinutes', 1],
    ['stillOnMinutes', 15],
    ['remindEveryMinutes', 1440],
    ['notifyFor', 'all'],
    ['quietHours', { start: '22:00', end: '07:00' }],
    ['quietHours', null],
    ['pollIntervalMs', 250],
    ['devicePatterns', ['/dev/video*', '/tmp/cam*']],
    ['region', 'uk'],
    ['trustedApps', ['zoom', '/usr/bin/cheese']],
    ['startAtLogin', false],
    ['alertVirtualDevices', true],
  ])('accepts %s = %j', (key, value) => {
    expect(validateSetting(key, value)).toMatchObject({ ok: true })
  })

  it.each([
    ['stillOnMinutes', -3, 'The first "still on" reminder must be a whole number of minutes from 1 to 1440.'],
    [
      'stillOnMinutes',
      'soon',
      'The first "still on" reminder must be a whole number of minutes from 1 to 1440.',
    ],
    [
      'remindEveryMinutes',
      0.0000001,
      'The time between reminders must be a whole number of minutes from 1 to 1440.',
    ],
    [
      'remindEveryMinutes',
      1.5,
      'The time between reminders must be a whole number of minutes from 1 to 1440.',
    ],
    ['remindEveryMinutes', 0, 'The time between reminders must be a whole number of minutes from 1 to 1440.'],
    [
      'remindEveryMinutes',
      1441,
      'The time between reminders must be a whole number of minutes from 1 to 1440.',
    ],
    [
      'awayMinutes',
      0.5,
      'The time before you count as away must be a whole number of minutes from 1 to 1440.',
    ],
    ['notifyFor', 'sometimes', 'Notify for must be "unexpected" or "all".'],
    ['quietHours', { start: '25:99', end: '07:00' }, 'Quiet hours start must be a time like 22:30.'],
    ['quietHours', { start: '22:00', end: '7' }, 'Quiet hours end must be a time like 07:00.'],
    ['quietHours', '22:00', 'Quiet hours must be a start and an end time, like 22:00-07:00, or off.'],
    ['pollIntervalMs', 10, 'The check interval must be a whole number of milliseconds from 50 to 600000.'],
    [
      'pollIntervalMs',
      1000.5,
      'The check interval must be a whole number of milliseconds from 50 to 600000.',
    ],
    ['devicePatterns', [], 'Camera devices must be one or more patterns, like /dev/video*.'],
    ['region', 'mars', "The guide's region must be auto or one of uk, ie, us, ca, au, other."],
    ['startAtLogin', 'yes', 'Start at login must be on or off.'],
    ['alertVirtualDevices', 'true', 'Alert for virtual cameras and microphones must be on or off.'],
  ])('refuses %s = %j, saying plainly what it takes', (key, value, message) => {
    expect(validateSetting(key, value)).toEqual({ ok: false, error: message })
  })

  it.each([
    ['trustedApps', ['']],
    ['trustedApps', 'zoom'],
    ['hooks', 'x'],
  ])("refuses %s = %j naming the setting, never in the schema library's words", (key, value) => {
    const result = validateSetting(key, value)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error).toMatch(/^(Trusted apps|Your commands): /)
      expect(result.error).not.toMatch(/expected|received|invalid input/i)
    }
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
    if (!result.ok) {
      expect(result.issues.map((i) => i.key).sort()).toEqual(['region', 'stillOnMinutes'])
      expect(result.issues.map((i) => i.message)).toContain(
        'The first "still on" reminder must be a whole number of minutes from 1 to 1440.',
      )
    }
  })
})

describe('settingsJsonSchema', () => {
  it('describes every setting for conf and electron-store', () => {
    expect(Object.keys(settingsJsonSchema()).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort())
  })
})
