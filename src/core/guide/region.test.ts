import { describe, expect, it } from 'vitest'
import { localeFromEnv, parseRegion, regionFromLocale, resolveRegion } from './region.js'

describe('regionFromLocale', () => {
  it.each([
    ['en-GB', 'uk'],
    ['cy-GB', 'uk'],
    ['en-IE', 'ie'],
    ['ga-IE', 'ie'],
    ['en-US', 'us'],
    ['es-US', 'us'],
    ['en-CA', 'ca'],
    ['fr-CA', 'ca'],
    ['en-AU', 'au'],
    ['de-DE', 'other'],
    ['en-NZ', 'other'],
    ['es-419', 'other'],
    ['zh-Hant-CA', 'ca'],
  ])('%s -> %s', (locale, region) => {
    expect(regionFromLocale(locale)).toBe(region)
  })

  it('reads POSIX locales with codeset and modifier', () => {
    expect(regionFromLocale('en_GB.UTF-8')).toBe('uk')
    expect(regionFromLocale('ga_IE@euro')).toBe('ie')
    expect(regionFromLocale('fr_CA.ISO-8859-1')).toBe('ca')
    expect(regionFromLocale('en_us.utf8')).toBe('us')
  })

  it('reads Windows-style locale names', () => {
    expect(regionFromLocale('English_United Kingdom.1252')).toBe('uk')
    expect(regionFromLocale('English_Australia.1252')).toBe('au')
  })

  it('uses a language only the region speaks when there is no country', () => {
    expect(regionFromLocale('ga')).toBe('ie')
    expect(regionFromLocale('en')).toBe('other')
  })

  it('is "other" for nothing, C and rubbish', () => {
    for (const value of [undefined, null, '', '   ', 'C', 'POSIX', 'C.UTF-8', '__', '-']) {
      expect(regionFromLocale(value)).toBe('other')
    }
  })
})

describe('resolveRegion', () => {
  it('prefers a chosen region over the locale', () => {
    expect(resolveRegion('au', 'en_GB.UTF-8')).toBe('au')
  })
  it('follows the locale on auto', () => {
    expect(resolveRegion('auto', 'en_GB.UTF-8')).toBe('uk')
    expect(resolveRegion(undefined, 'en-US')).toBe('us')
  })
})

describe('localeFromEnv', () => {
  it('follows POSIX precedence', () => {
    expect(localeFromEnv({ LC_ALL: 'en_IE.UTF-8', LC_MESSAGES: 'en_US.UTF-8', LANG: 'en_GB.UTF-8' })).toBe(
      'en_IE.UTF-8',
    )
    expect(localeFromEnv({ LC_MESSAGES: 'en_US.UTF-8', LANG: 'en_GB.UTF-8' })).toBe('en_US.UTF-8')
    expect(localeFromEnv({ LANG: 'en_GB.UTF-8' })).toBe('en_GB.UTF-8')
  })
  it('skips C, POSIX and empty values', () => {
    expect(localeFromEnv({ LC_ALL: 'C', LC_MESSAGES: '', LANG: 'en_AU.UTF-8' })).toBe('en_AU.UTF-8')
    expect(localeFromEnv({ LC_ALL: 'C.UTF-8', LANG: 'POSIX' })).toBeUndefined()
    expect(localeFromEnv({})).toBeUndefined()
  })
})

describe('parseRegion', () => {
  it('accepts the codes and their aliases in any case', () => {
    expect(parseRegion('UK')).toBe('uk')
    expect(parseRegion('gb')).toBe('uk')
    expect(parseRegion(' Ie ')).toBe('ie')
    expect(parseRegion('EU')).toBe('other')
    expect(parseRegion('other')).toBe('other')
  })
  it('refuses anything else', () => {
    expect(parseRegion('auto')).toBeNull()
    expect(parseRegion('nz')).toBeNull()
    expect(parseRegion('')).toBeNull()
  })
})
