// Quitting: a signal (a logout, `kill`) quits like the tray's Quit; before the app ends, the engine
// stops cleanly (the open session is closed in the history), then the hooks, the history, the
// settings, the lock and the tray, in that order.
import { app } from 'electron'
import type { AwayMonitor } from './away.js'
import type { AppContext, AppServices } from './setup-context.js'
import type { ControlSetup } from './setup-control.js'
import type { TrayController } from './tray.js'

export interface QuitSetup {
  away: AwayMonitor
  control: ControlSetup
  tray: TrayController
}

export function setupQuit(ctx: AppContext, services: AppServices, parts: QuitSetup): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => app.quit())
  let stopping = false
  app.on('before-quit', (event) => {
    if (stopping) return
    stopping = true
    event.preventDefault()
    parts.away.stop()
    void parts.control.then((c) => c?.close())
    services.engine
      .stop()
      .then(() => services.stopHooks())
      .catch((e: unknown) => ctx.log(`stopping the engine failed: ${String(e)}`))
      .finally(() => {
        const lost = services.activity.close()
        if (lost) ctx.log(lost)
        services.settings.close()
        services.releaseLock()
        parts.tray.destroy()
        app.quit()
      })
  })
}
