import Conf from 'conf'
import { DEFAULT_SETTINGS, settingsJsonSchema } from '../shared/settings.js'
import { FILE_MODE } from '../core/files.js'
import { openSettingsStore } from '../core/settings-store.js'

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
