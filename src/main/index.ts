// The Electron app's composition root: one setup function per concern, in the order they must run (as
// in Electron Fiddle's main.ts). No decisions are made here; they live in src/core and in the small
// src/main modules, which are unit-tested. See docs/architecture.md.
import { app, dialog, shell } from 'electron'
import { PRODUCT_NAME } from './app-info.js'
import { setupAppEvents, setupPaths, setupSession } from './setup-app.js'
import { setupAutostart } from './setup-autostart.js'
import { setupAway } from './setup-away.js'
import { createContext, type AppContext } from './setup-context.js'
import { setupControlSocket } from './setup-control.js'
import { setupEngine, startWatching } from './setup-engine.js'
import { setupEvidence } from './setup-evidence.js'
import { setupIpc } from './setup-ipc.js'
import { setupNotifications } from './setup-notifications.js'
import { setupQuit } from './setup-quit.js'
import { setupTray } from './setup-tray.js'
import { setupWindows } from './setup-windows.js'

// The one openExternal: setupAppEvents and the IPC handlers pass it only allowlisted https URLs.
const ctx = createContext(setupPaths(), (url) => shell.openExternal(url))

if (!app.requestSingleInstanceLock()) {
  // The first instance shows its window (see 'second-instance'); this one has nothing to do.
  app.exit(0)
} else {
  setupAppEvents(ctx)
  app
    .whenReady()
    .then(() => ready(ctx))
    .catch((e: unknown) => {
      ctx.log(`could not start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
      dialog.showErrorBox(`${PRODUCT_NAME} could not start`, String(e))
      app.exit(1)
    })
}

function ready(ctx: AppContext): void {
  setupSession(ctx)
  const services = setupEngine(ctx)
  if (!services) return // another monitor holds the data directory; the app has said so and exits
  const { engine, settings } = services
  const windows = setupWindows(ctx, engine)
  setupNotifications(ctx, engine, windows)
  const autostart = setupAutostart(ctx, settings)
  const tray = setupTray(ctx, { engine, settings, windows, autostart })
  const away = setupAway(engine, settings)
  setupIpc(ctx, services, windows, setupEvidence(ctx, services))
  const control = setupControlSocket(ctx, engine)
  setupQuit(ctx, services, { away, control, tray })
  startWatching(ctx, engine, tray.refresh)
}
