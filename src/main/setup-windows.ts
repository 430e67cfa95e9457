// The app's windows: the one main window (Status, Guide, Activity, Evidence, Settings) and the evidence
// report's print window. The secure preferences are repeated at each constructor so that no options
// object can weaken them (and so that static checks such as Electronegativity see them here).
import { join } from 'node:path'
import { app, BrowserWindow, type BrowserWindowConstructorOptions } from 'electron'
import type { Engine } from '../core/ports.js'
import { PUSH } from '../shared/ipc.js'
import { APP_ORIGIN } from './app-info.js'
import type { AppContext } from './setup-context.js'
import { createWindowController, type WindowController } from './windows.js'

export function setupWindows(ctx: AppContext, engine: Engine): WindowController {
  const windows = createWindowController({
    create: (options) =>
      new BrowserWindow({
        ...options,
        webPreferences: {
          ...options.webPreferences,
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          experimentalFeatures: false,
          disableBlinkFeatures: 'Auxclick',
        },
      }),
    pageUrl: ctx.devServerUrl ?? `${APP_ORIGIN}/index.html`,
    preloadPath: join(ctx.here, '..', 'preload', 'index.cjs'),
    devTools: !app.isPackaged,
    iconPath: ctx.resource(join('icons', 'app-icon.png')),
    log: ctx.log,
  })
  // Starting the app again shows the running one's window.
  app.on('second-instance', () => windows.show('status'))
  engine.onStatus((status) => windows.send(PUSH.status, status))
  return windows
}

/** The evidence report's print window: no script runs in it. */
export function createPrintWindow(options: BrowserWindowConstructorOptions): BrowserWindow {
  return new BrowserWindow({
    ...options,
    webPreferences: {
      ...options.webPreferences,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      javascript: false,
      disableBlinkFeatures: 'Auxclick',
    },
  })
}
