import { REGIONS, type Region } from '../../shared/settings.js'

// Countries whose help services the guide lists; everyone else gets the general (EU / elsewhere) page.
const BY_TERRITORY: Record<string, Region> = { GB: 'uk', UK: 'uk', IE: 'ie', US: 'us', CA: 'ca', AU: 'au' }

// Windows-style locales ("English_United Kingdom.1252") name the country in full.
const BY_COUNTRY_NAME: Record<string, Region> = {
  'united kingdom': 'uk',
  'great britain': 'uk',
  ireland: 'ie',
  'united states': 'us',
  canada: 'ca',
  australia: 'au',
}

// A language spoken (natively) in only one of the guide's regions tells us the region without a country.
const BY_LANGUAGE: Record<string, Region> = { ga: 'ie', cy: 'uk', gd: 'uk' }

/**
 * The guide region for a locale: BCP 47 ("en-GB", "fr-CA", "zh-Hant-CA") or POSIX ("en_GB.UTF-8",
 * "ga_IE@euro"). Anything we cannot place is 'other', which lists services that work everywhere.
 */
export function regionFromLocale(locale: string | undefined | null): Region {
  return placeLocale(locale) ?? 'other'
}

/** The region a locale names (by country, or by a language of one region only); null when it names none. */
function placeLocale(locale: string | undefined | null): Region | null {
  if (!locale) return null
  // Drop the POSIX codeset and modifier, then split language, script and territory.
  const base = locale.trim().split(/[.@]/)[0] ?? ''
  const parts = base.split(/[-_]/).filter(Boolean)
  if (parts.length === 0) return null
  for (const part of parts.slice(1)) {
    if (/^[a-z]{2}$/i.test(part)) {
      return BY_TERRITORY[part.toUpperCase()] ?? 'other'
    }
    const named = BY_COUNTRY_NAME[part.toLowerCase()]
    if (named) return named
  }
  return BY_LANGUAGE[parts[0]!.toLowerCase()] ?? null
}

/** The region in effect: the setting, or the locale's region when the setting is 'auto'. */
export function resolveRegion(
  setting: 'auto' | Region | undefined,
  locale: string | undefined | null,
): Region {
  return regionChoice(setting, locale).region
}

export interface RegionChoice {
  region: Region
  /**
   * 'setting': chosen by the person; 'locale': their language settings name a country;
   * 'no-country': nothing says where they are (C.UTF-8, "en"), so this is a guess worth saying out loud.
   */
  from: 'setting' | 'locale' | 'no-country'
}

/** The region in effect and why, so a guess can be told apart from a choice. */
export function regionChoice(
  setting: 'auto' | Region | undefined,
  locale: string | undefined | null,
): RegionChoice {
  if (setting && setting !== 'auto') return { region: setting, from: 'setting' }
  const placed = placeLocale(locale)
  return placed ? { region: placed, from: 'locale' } : { region: 'other', from: 'no-country' }
}

/**
 * The user's locale from the environment, in POSIX precedence (LC_ALL, LC_MESSAGES, LANG).
 * "C" and "POSIX" say nothing about where someone lives, so they are skipped rather than obeyed.
 */
export function localeFromEnv(env: Record<string, string | undefined>): string | undefined {
  for (const key of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[key]?.trim()
    if (!value) continue
    const bare = value.split('.')[0]
    if (bare === 'C' || bare === 'POSIX') continue
    return value
  }
  return undefined
}

/** Region codes people may type (case-insensitive): the setting's codes plus "gb" and "eu". */
const ALIASES: Record<string, Region> = { gb: 'uk', eu: 'other' }

/** Parses a region typed by a person; null when it is not one we know. */
export function parseRegion(input: string): Region | null {
  const code = input.trim().toLowerCase()
  if ((REGIONS as readonly string[]).includes(code)) return code as Region
  return ALIASES[code] ?? null
}

/** For messages: the codes parseRegion accepts. */
export const REGION_CODES_HELP = 'uk (or gb), ie, us, ca, au, other (or eu)'
