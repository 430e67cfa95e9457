// The core Notifier port on Electron's Notification. What to say comes from the core's Alert; this module
// decides only how each platform shows it.
import type { NotificationConstructorOptions } from 'electron'
import { rateLimited } from '../core/notify-limit.js'
import type { Alert, AlertAction, Notifier } from '../core/ports.js'
import { notificationMarkup, visibleText } from '../shared/escape.js'
import { ACTION_LABELS } from '../shared/words.js'

/** The part of an Electron Notification this module uses (a fake in tests). */
export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown
  on(event: 'action', listener: (details: { actionIndex: number } | unknown, index?: number) => void): unknown
  on(event: 'close', listener: () => void): unknown
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown
  show(): void
}

export interface NotifierDeps {
  create: (options: NotificationConstructorOptions) => NotificationLike
  isSupported: () => boolean
  platform: NodeJS.Platform
  /** Shown beside the text where the platform draws an icon (Linux, Windows). */
  iconPath?: string
  log?: (message: string) => void
  now?: () => number
}

/** The options for one alert on one platform; pure, so each platform's choice is unit-tested. */
export function notificationOptions(
  alert: Alert,
  platform: NodeJS.Platform,
  iconPath?: string,
): NotificationConstructorOptions {
  const urgent = alert.urgency === 'critical'
  const options: NotificationConstructorOptions = notificationText(alert.title, alert.body, platform)
  if (iconPath && platform !== 'darwin') options.icon = iconPath
  // Buttons only where Electron draws them (macOS, Windows). On Linux many servers drop or hide actions, and the
  // body already says what to do, so a click that opens the window is the one action there.
  if (platform === 'darwin' || platform === 'win32') {
    options.actions = alert.actions.map((a) => ({ type: 'button', text: ACTION_LABELS[a] }))
  }
  if (platform === 'linux') options.urgency = urgent ? 'critical' : 'normal'
  // An unexpected camera stays on screen until the user deals with it.
  if (urgent && platform !== 'darwin') options.timeoutType = 'never'
  return options
}

/**
 * Title and body made safe: Electron hands a Linux body to libnotify as it is, and Linux servers read
 * it as markup, so it is escaped there; control and bidi characters are written out everywhere.
 */
function notificationText(title: string, body: string, platform: NodeJS.Platform) {
  return {
    title: visibleText(title),
    body: platform === 'linux' ? notificationMarkup(body) : visibleText(body),
  }
}

/** Maps Electron's action event (details object since Electron 33; index argument before) to our action. */
function actionFrom(alert: Alert, details: unknown, index: unknown): AlertAction | undefined {
  const i =
    details && typeof details === 'object' && 'actionIndex' in details
      ? (details as { actionIndex: unknown }).actionIndex
      : index
  return typeof i === 'number' ? alert.actions[i] : undefined
}

export function createNotifier(deps: NotifierDeps): Notifier {
  // Electron drops click/action handlers of a Notification that was garbage collected, so keep each one
  // referenced until it closes.
  const live = new Set<NotificationLike>()
  const MAX_LIVE = 20
  // One rule with the command's notifications: no storm, whatever the settings say.
  const limit = { ...(deps.log ? { onHeldBack: deps.log } : {}), ...(deps.now ? { now: deps.now } : {}) }
  return rateLimited(
    {
      notify(alert, onAction) {
        if (!deps.isSupported()) {
          deps.log?.(`notifications are not supported here; not shown: ${alert.title}`)
          return
        }
        const n = deps.create(notificationOptions(alert, deps.platform, deps.iconPath))
        if (live.size >= MAX_LIVE) live.delete(live.values().next().value as NotificationLike)
        live.add(n)
        n.on('click', () => onAction?.('click'))
        n.on('action', (details, index) => {
          const action = actionFrom(alert, details, index)
          if (action) onAction?.(action)
        })
        n.on('close', () => live.delete(n))
        n.on('failed', (_e, error) => {
          live.delete(n)
          deps.log?.(`notification failed: ${error}`)
        })
        n.show()
      },
    },
    limit,
  )
}

/** A plain message (e.g. "your settings file was moved aside"), not an alert: no actions, normal urgency. */
export function showNotice(deps: NotifierDeps, title: string, body: string): void {
  deps.log?.(body)
  if (!deps.isSupported()) return
  const options: NotificationConstructorOptions = notificationText(title, body, deps.platform)
  if (deps.iconPath && deps.platform !== 'darwin') options.icon = deps.iconPath
  deps.create(options).show()
}
