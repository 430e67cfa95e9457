// Start at login: applied at start and whenever the setting changes (only in a packaged app).
import { homedir } from 'node:os'
import { app } from 'electron'
import type { SettingsStore } from '../core/ports.js'
import { autostartCommand, autostartDir, createStartAtLogin, linuxAutostart } from './autostart.js'
import type { AppContext } from './setup-context.js'

export interface Autostart {
  /** The setting as last applied (the tray's checkbox). */
  enabled(): boolean
}

export function setupAutostart(ctx: AppContext, settings: SettingsStore): Autostart {
  const startAtLogin = createStartAtLogin({
    platform: ctx.platform,
    app,
    linux: linuxAutostart(autostartDir(process.env, homedir())),
    command: autostartCommand({
      execPath: process.execPath,
      appImage: process.env.APPIMAGE,
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
    }),
    enabled: app.isPackaged,
    log: ctx.log,
  })
  let applied = settings.get().startAtLogin
  startAtLogin.apply(applied)
  settings.onChange((s) => {
    if (s.startAtLogin === applied) return
    applied = s.startAtLogin
    startAtLogin.apply(applied)
  })
  return { enabled: () => applied }
}
