// The app's settings: the core's SettingsStore (recovery of a corrupt file before opening, validation, change
// watching) on electron-store, opened exactly like the CLI's conf on the same settings.json.
import { chmodSync, existsSync } from 'node:fs'
import { FILE_MODE } from '../core/files.js'
import type { SettingsStore } from '../core/ports.js'
import { openSettingsStore, type ConfLike } from '../core/settings-store.js'
import { DEFAULT_SETTINGS, settingsJsonSchema } from '../shared/settings.js'

export interface StoreOptions {
  name: string
  cwd: string
  schema: Record<string, unknown>
  defaults: Record<string, unknown>
  configFileMode: number
  clearInvalidConfig: boolean
  accessPropertiesByDotNotation: boolean
}

/** electron-store options for settings.json in dir; the same as the CLI's conf (src/cli/settings.ts). */
export function storeOptions(dir: string): StoreOptions {
  return {
    name: 'settings', // electron-store adds .json
    cwd: dir,
    schema: settingsJsonSchema(),
    defaults: { ...DEFAULT_SETTINGS },
    configFileMode: FILE_MODE,
    // Keys are flat; a dotted key must never reach into an object.
    accessPropertiesByDotNotation: false,
    // Never silently drop a user's file: the core moves a bad one aside and says so.
    clearInvalidConfig: false,
  }
}

export interface AppSettingsDeps {
  dir: string
  /** `(o) => new Store(o)` with electron-store in the app; conf in tests. */
  createStore: (options: StoreOptions) => ConfLike
  /** Told when a corrupt file was moved aside, at start or while running. */
  onNotice: (message: string) => void
  log: (message: string) => void
}

export function openAppSettings(deps: AppSettingsDeps): SettingsStore & { close(): void } {
  const store = openSettingsStore({
    dir: deps.dir,
    watch: true, // `camguard config set` while the app runs updates the tray and window
    onNotice: deps.onNotice,
    open: () => deps.createStore(storeOptions(deps.dir)),
  })
  // The store applies its mode only when it writes; a file created elsewhere is tightened now.
  if (existsSync(store.path)) {
    try {
      chmodSync(store.path, FILE_MODE)
    } catch (e) {
      deps.log(`could not restrict ${store.path} to mode 0600: ${String(e)}`)
    }
  }
  return store
}
