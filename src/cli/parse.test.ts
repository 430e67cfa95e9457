import { InvalidArgumentError } from 'commander'
import { describe, expect, it } from 'vitest'
import { intArg, minutesArg, parseConfigValue, parseSince } from './parse.js'

const now = new Date(2026, 10, 28, 15, 30)

describe('CLI value parsing', () => {
  it('parses --interval and refuses what is not a whole number in range', () => {
    const interval = intArg('--interval', 50, 600_000)
    expect(interval('200')).toBe(200)
    for (const bad of ['abc', '10', '1e3', '-5', '200.5', '', '999999999']) {
      expect(() => interval(bad), bad).toThrow(InvalidArgumentError)
    }
  })

  it('parses minutes', () => {
    expect(minutesArg('0.5')).toBe(0.5)
    for (const bad of ['0', '-1', 'x', '', '2000'])
      expect(() => minutesArg(bad), bad).toThrow(InvalidArgumentError)
  })

  it('parses --since forms', () => {
    expect(parseSince('today', now)).toEqual(new Date(2026, 10, 28))
    expect(parseSince('yesterday', now)).toEqual(new Date(2026, 10, 27))
    expect(parseSince('2h', now)).toEqual(new Date(now.getTime() - 7_200_000))
    expect(parseSince('7d', now)).toEqual(new Date(now.getTime() - 7 * 86_400_000))
    expect(parseSince('2026-11-01T10:00:00Z', now)).toEqual(new Date('2026-11-01T10:00:00Z'))
    for (const bad of ['last week', '2h ago', '12', '2026-13-45']) {
      expect(() => parseSince(bad, now), bad).toThrow(InvalidArgumentError)
    }
  })

  it('turns config values typed at a shell into setting values', () => {
    expect(parseConfigValue('quietHours', '22:00-07:00')).toEqual({ start: '22:00', end: '07:00' })
    expect(parseConfigValue('quietHours', 'off')).toBeNull()
    expect(parseConfigValue('quietHours', '{"start":"01:00","end":"02:00"}')).toEqual({
      start: '01:00',
      end: '02:00',
    })
    expect(parseConfigValue('trustedApps', 'zoom, cheese')).toEqual(['zoom', 'cheese'])
    expect(parseConfigValue('devicePatterns', '["/dev/video*"]')).toEqual(['/dev/video*'])
    expect(parseConfigValue('stillOnMinutes', '0.05')).toBe(0.05)
    expect(parseConfigValue('startAtLogin', 'off')).toBe(false)
    expect(parseConfigValue('watchMicrophone', 'off')).toBe(false)
    expect(parseConfigValue('alertVirtualDevices', 'on')).toBe(true)
    expect(parseConfigValue('micDevicePatterns', '/dev/snd/pcmC0D*c, /tmp/x')).toEqual([
      '/dev/snd/pcmC0D*c',
      '/tmp/x',
    ])
    expect(parseConfigValue('notifyFor', 'all')).toBe('all')
    expect(parseConfigValue('region', 'uk')).toBe('uk')
  })
})
