import { InvalidArgumentError } from 'commander'
import { SETTINGS_KEYS, type SettingsKey } from '../shared/settings.js'

/** commander argument parsers: a bad value is a usage error (exit 2) that says what is expected. */
export function intArg(name: string, min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw)
    // Digits only: no spaces, signs, exponents or hex that Number() would quietly accept.
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, not "${raw}".`)
    }
    return n
  }
}

/** A process id exactly as CamGuard shows it: plain decimal digits, nothing around them. */
export function pidArg(raw: string): number {
  const n = Number(raw)
  if (!/^[1-9]\d{0,9}$/.test(raw) || n > 2 ** 31 - 1) {
    throw new InvalidArgumentError(
      `${JSON.stringify(raw)} is not a process id: give it as plain digits as CamGuard shows it (for example 4242).`,
    )
  }
  return n
}

export function minutesArg(raw: string): number {
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0 || n > 1440 || raw.trim() === '') {
    throw new InvalidArgumentError(`minutes must be a number more than 0 and at most 1440, not "${raw}".`)
  }
  return n
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

const UNITS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/** --since: an ISO date/time, "today", "yesterday", or an age like 30m, 2h, 7d. */
export function parseSince(raw: string, now: Date): Date {
  const text = raw.trim().toLowerCase()
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate())
  if (text === 'today') return midnight
  if (text === 'yesterday') return new Date(midnight.getTime() - UNITS.d!)
  const rel = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)$/.exec(text)
  if (rel) return new Date(now.getTime() - Number(rel[1]) * UNITS[rel[2]!]!)
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const d = new Date(raw.trim())
    if (!Number.isNaN(d.getTime())) return d
  }
  throw new InvalidArgumentError(
    `--since takes a date (2026-11-28 or 2026-11-28T14:00), "today", "yesterday" or an age like 30m, 2h, 7d; not "${raw}".`,
  )
}

/** `config set KEY VALUE`: JSON where it parses, with friendly forms for times and switches. */
export function parseConfigValue(key: SettingsKey, raw: string): unknown {
  const text = raw.trim()
  if (key === 'quietHours') {
    if (/^(off|none|null)$/i.test(text)) return null
    const m = /^(\S+)\s*(?:-|–|to)\s*(\S+)$/i.exec(text)
    if (m && !text.startsWith('{')) return { start: m[1], end: m[2] }
  }
  if (key === 'trustedApps' || key === 'devicePatterns' || key === 'micDevicePatterns') {
    if (text.startsWith('[')) return tryJson(text)
    return text === '' ? [] : text.split(',').map((s) => s.trim())
  }
  const flag = key === 'startAtLogin' || key === 'watchMicrophone' || key === 'alertVirtualDevices'
  if (/^(true|on|yes)$/i.test(text) && flag) return true
  if (/^(false|off|no)$/i.test(text) && flag) return false
  const json = tryJson(text)
  return json === undefined ? text : json
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text.startsWith('[') || text.startsWith('{') ? text : undefined
  }
}

export function settingsKeyArg(raw: string): SettingsKey {
  if (!(SETTINGS_KEYS as string[]).includes(raw)) {
    throw new InvalidArgumentError(`unknown setting "${raw}". Known settings: ${SETTINGS_KEYS.join(', ')}.`)
  }
  return raw as SettingsKey
}
