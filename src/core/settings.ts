import { existsSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { parseSettingsFile } from '../shared/settings.js'
import { errorCode, errorMessage } from './files.js'

export const SETTINGS_FILE = 'settings.json'

export function settingsPath(dir: string): string {
  return join(dir, SETTINGS_FILE)
}

export type SettingsCheck = { ok: true } | { ok: false; problem: string }

/** Checks a settings file's text: valid JSON, an object, every known key valid. */
export function checkSettingsText(text: string): SettingsCheck {
  // An empty file holds no settings at all: a crash or a full disk while it was written.
  if (text.trim() === '') return { ok: false, problem: 'it is empty.' }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    return { ok: false, problem: `it is not valid JSON (${errorMessage(err)}).` }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problem: 'it does not hold a JSON object.' }
  }
  const parsed = parseSettingsFile(data)
  if (!parsed.ok) return { ok: false, problem: parsed.issues.map((i) => `${i.key}: ${i.message}`).join(' ') }
  return { ok: true }
}

/**
 * Moves a corrupt, invalid, empty or unreadable settings.json aside (settings.corrupt-<time>.json)
 * so that defaults are used and nothing is lost. Returns a message for the user, or null when the
 * file is fine or absent.
 */
export function recoverSettingsFile(dir: string, now: Date = new Date()): { notice: string | null } {
  const path = settingsPath(dir)
  let check: SettingsCheck
  try {
    check = checkSettingsText(readFileSync(path, 'utf8'))
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { notice: null }
    check = { ok: false, problem: `it could not be read (${errorMessage(err)}).` }
  }
  if (check.ok) return { notice: null }
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  let aside = join(dir, `settings.corrupt-${stamp}.json`)
  for (let n = 1; existsSync(aside); n++) aside = join(dir, `settings.corrupt-${stamp}-${n}.json`)
  try {
    renameSync(path, aside)
  } catch (err) {
    return {
      notice: `Your settings file ${path} could not be used: ${check.problem} It could not be moved aside either (${errorMessage(err)}), so default settings are in use and changes cannot be saved until it is fixed.`,
    }
  }
  return {
    notice: `Your settings file could not be used: ${check.problem} It was moved to ${aside} and default settings are in use.`,
  }
}

export { dataDir } from './data-dir.js'
