// The core services: the data directory's lock, settings, history, the engine (camera and microphone)
// and the user's own commands. The engine is the one the `camguard` command runs too.
import { app, dialog } from 'electron'
import Store from 'electron-store'
import { ActivityLog } from '../core/activity-log.js'
import { createDetector } from '../core/camera/select.js'
import { createEngine } from '../core/engine.js'
import { acquireMonitorLock } from '../core/lock.js'
import { withMicrophone } from '../core/microphone/combined.js'
import { createMicDetector } from '../core/microphone/select.js'
import { systemClock } from '../core/ports.js'
import { PRODUCT_NAME } from './app-info.js'
import { setupHooks } from './hooks.js'
import type { AppContext, AppServices } from './setup-context.js'
import { openAppSettings } from './settings-store.js'

/** The services, or null when another monitor holds the data directory (the app then exits 1). */
export function setupEngine(ctx: AppContext): AppServices | null {
  const { dir, platform, log } = ctx
  const lock = acquireMonitorLock(dir)
  if (!lock.ok) {
    dialog.showErrorBox(
      `${PRODUCT_NAME} is already watching`,
      `Another CamGuard monitor (pid ${lock.holder.pid}) is already watching the camera for ${dir}. Stop it (for example "camguard watch" in a terminal) and start the app again.`,
    )
    app.exit(1)
    return null
  }
  const settings = openAppSettings({
    dir,
    createStore: (options) => new Store(options as ConstructorParameters<typeof Store>[0]) as never,
    onNotice: ctx.notice,
    log,
  })
  const activity = new ActivityLog(dir)
  // A history that cannot be written is told once (and in the status); watching goes on.
  activity.onProblem((problem) => problem && ctx.notice(problem))
  const engine = createEngine({
    detector: withMicrophone(
      createDetector({
        platform,
        devicePatterns: () => settings.get().devicePatterns,
        alertVirtualDevices: () => settings.get().alertVirtualDevices,
      }),
      createMicDetector({
        platform,
        devicePatterns: () => settings.get().micDevicePatterns,
        alertVirtualDevices: () => settings.get().alertVirtualDevices,
      }),
      () => settings.get().watchMicrophone,
    ),
    settings,
    activity,
    clock: systemClock,
  })
  const hooks = setupHooks({ engine, settings, dir, log })
  return { settings, activity, engine, releaseLock: () => lock.release(), stopHooks: () => hooks.stop() }
}

/** Starts watching; a failure is told to the user, and the tray shows the state as unknown. */
export function startWatching(ctx: AppContext, engine: AppServices['engine'], refreshTray: () => void): void {
  engine.start().catch((e: unknown) => {
    ctx.log(`the camera monitor could not start: ${String(e)}`)
    ctx.notice(`CamGuard could not start watching the camera: ${e instanceof Error ? e.message : String(e)}`)
    refreshTray()
  })
}
