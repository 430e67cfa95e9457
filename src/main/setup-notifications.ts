// Notifications: the engine's alerts shown through Electron, each button carried out by handleAlertAction.
import { join } from 'node:path'
import { Notification } from 'electron'
import type { Engine } from '../core/ports.js'
import { handleAlertAction } from './alert-actions.js'
import { createNotifier, type NotifierDeps } from './notifications.js'
import type { AppContext } from './setup-context.js'
import type { WindowController } from './windows.js'

export function notificationDeps(ctx: Pick<AppContext, 'platform' | 'resource' | 'log'>): NotifierDeps {
  return {
    create: (options) => new Notification(options),
    isSupported: () => Notification.isSupported(),
    platform: ctx.platform,
    iconPath: ctx.resource(join('icons', 'app-icon.png')),
    log: ctx.log,
  }
}

export function setupNotifications(ctx: AppContext, engine: Engine, windows: WindowController): void {
  const notifier = createNotifier(notificationDeps(ctx))
  const actionDeps = { engine, show: windows.show, log: ctx.log }
  engine.onAlert((alert) => notifier.notify(alert, (action) => handleAlertAction(actionDeps, alert, action)))
}
