// What every setup function of the app receives: where things are, how to log, how to tell the user.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app } from 'electron'
import type { ActivityLog } from '../core/activity-log.js'
import type { Engine, SettingsStore } from '../core/ports.js'
import { PRODUCT_NAME } from './app-info.js'
import { showNotice } from './notifications.js'
import { notificationDeps } from './setup-notifications.js'

export interface AppContext {
  /** The data directory shared with the `camguard` command. */
  dir: string
  platform: NodeJS.Platform
  /** out/main: the built preload and renderer are found beside it. */
  here: string
  /** The Vite dev server in development (an empty ELECTRON_RENDERER_URL counts as unset). */
  devServerUrl: string | undefined
  log: (message: string) => void
  /** A shipped resource: extraResources when packaged, the repository's resources/ in development. */
  resource: (name: string) => string
  /** Electron's openExternal; only ever handed URLs the allowlist passed (see security.ts). */
  openExternal: (url: string) => Promise<void>
  /** A plain message for the user (a notification, no actions), also logged. */
  notice: (message: string) => void
}

/** The core services the app is built on, made once the app holds the data directory's lock. */
export interface AppServices {
  settings: SettingsStore & { close(): void }
  activity: ActivityLog
  engine: Engine
  /** Releases the data directory for the next monitor. */
  releaseLock: () => void
  /** Stops the user's own commands (hooks). */
  stopHooks: () => Promise<void>
}

export function log(message: string): void {
  console.error(`camguard: ${message}`)
}

export function createContext(dir: string, openExternal: (url: string) => Promise<void>): AppContext {
  const base = {
    dir,
    platform: process.platform,
    here: dirname(fileURLToPath(import.meta.url)),
    devServerUrl: (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) || undefined,
    log,
    resource: (name: string) =>
      app.isPackaged ? join(process.resourcesPath, name) : join(app.getAppPath(), 'resources', name),
    openExternal,
  }
  return { ...base, notice: (message) => showNotice(notificationDeps(base), PRODUCT_NAME, message) }
}
