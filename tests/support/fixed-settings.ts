import type { SettingsStore } from '../../src/core/ports.js'
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings.js'

/**
 * A settings store that always gives these settings and saves nothing. They are not checked, so a
 * test can hand the engine what the schema would refuse (what a store would give if a value ever got
 * past it).
 */
export function fixedSettings(settings: Settings = DEFAULT_SETTINGS): SettingsStore {
  return {
    path: '(memory)',
    get: () => settings,
    set: () => ({ ok: false, error: 'read-only in this test' }),
    reset: () => settings,
    onChange: () => () => undefined,
  }
}
