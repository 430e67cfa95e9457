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
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    return { ok: false, problem: `it is not valid JSON (${errorMessage(err)})` }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problem: 'it does not hold a JSON object' }
  }
  const parsed = parseSettingsFile(data)
  if (!parsed.ok) {
    return { ok: false, problem: parsed.issues.map((i) => `${i.key}: ${i.message}`).join('; ') }
  }
  return { ok: true }
}

/**
 * Moves a corrupt or invalid settings.json aside (settings.corrupt-<time>.json) so that defaults are
 * used and nothing is lost. Returns a message for the user, or null when the file is fine or absent.
 */
export function recoverSettingsFile(dir: string, now: Date = new Date()): { notice: string | null } {
  const path = settingsPath(dir)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { notice: null }
    return { notice: `Could not read ${path} (${errorMessage(err)}); using default settings.` }
  }
  if (text.trim() === '') return { notice: null }
  const check = checkSettingsText(text)
  if (check.ok) return { notice: null }
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  let aside = join(dir, `settings.corrupt-${stamp}.json`)
  for (let n = 1; existsSync(aside); n++) aside = join(dir, `settings.corrupt-${stamp}-${n}.json`)
  renameSync(path, aside)
  return {
    notice: `Your settings file could not be used: ${check.problem}. It was moved to ${aside} and default settings are in use.`,
  }
}

export { dataDir } from './data-dir.js'
