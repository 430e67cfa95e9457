// The tray: its icon, tooltip and menu follow the engine's status; each menu item is one call on the
// engine, the window, the settings or the app.
import { app, Menu, nativeImage, Tray } from 'electron'
import type { Engine, SettingsStore } from '../core/ports.js'
import type { Autostart } from './setup-autostart.js'
import type { AppContext } from './setup-context.js'
import { createTray, type TrayController } from './tray.js'
import type { TrayAction } from './tray-model.js'
import type { WindowController } from './windows.js'

export interface TraySetup {
  engine: Engine
  settings: SettingsStore
  windows: WindowController
  autostart: Autostart
}

export function setupTray(ctx: AppContext, s: TraySetup): TrayController & { refresh(): void } {
  const run = (action: TrayAction): void => {
    try {
      runTrayAction(action, s, ctx)
    } catch (e) {
      ctx.log(`tray action ${action.type} failed: ${String(e)}`)
    }
  }
  const tray = createTray(
    {
      createTray: (image) => new Tray(image),
      buildMenu: (template) => Menu.buildFromTemplate(template),
      imageFromPath: (path) => nativeImage.createFromPath(path),
      iconDir: ctx.resource('icons'),
      platform: ctx.platform,
      run,
    },
    { status: s.engine.status(), startAtLogin: s.autostart.enabled() },
  )
  const refresh = (): void => tray.update({ status: s.engine.status(), startAtLogin: s.autostart.enabled() })
  s.engine.onStatus((status) => tray.update({ status, startAtLogin: s.autostart.enabled() }))
  s.settings.onChange(refresh)
  return { ...tray, refresh }
}

function runTrayAction(action: TrayAction, { engine, settings, windows }: TraySetup, ctx: AppContext): void {
  switch (action.type) {
    case 'remind':
      engine.remindIn(action.minutes)
      return
    case 'snooze':
      engine.snooze(null)
      return
    case 'pause':
      engine.pauseAlerts(action.minutes)
      return
    case 'resume':
      engine.resumeAlerts()
      return
    case 'open':
      windows.show(action.view)
      return
    case 'toggle-start-at-login': {
      const result = settings.set('startAtLogin', !settings.get().startAtLogin)
      if (!result.ok) ctx.log(result.error)
      return
    }
    case 'quit':
      app.quit()
      return
  }
}
