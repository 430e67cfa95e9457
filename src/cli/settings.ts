import Conf from 'conf'
import { DEFAULT_SETTINGS, settingsJsonSchema } from '../shared/settings.js'
import { FILE_MODE } from '../core/files.js'
import { openSettingsStore } from '../core/settings-store.js'
import type { SetSettingResult } from '../shared/ipc.js'
import { RuntimeError, UsageError } from './errors.js'

/** The CLI's settings: conf on the same settings.json and schema the app's electron-store uses. */
export function openCliSettings(dir: string, onNotice: (message: string) => void, watch = false) {
  return openSettingsStore({
    dir,
    watch,
    onNotice,
    open: () =>
      new Conf({
        cwd: dir,
        configName: 'settings',
        projectName: 'camguard',
        schema: settingsJsonSchema() as never,
        defaults: { ...DEFAULT_SETTINGS } as never,
        configFileMode: FILE_MODE,
        accessPropertiesByDotNotation: false,
        clearInvalidConfig: false,
      }) as never,
  })
}

/** A refused value is the caller's mistake (exit 2); a value that could not be saved is not (exit 1). */
export function settingRefused(result: SetSettingResult & { ok: false }, after = ''): Error {
  const message = after ? `${result.error} ${after}` : result.error
  return result.io ? new RuntimeError(message) : new UsageError(message)
}
