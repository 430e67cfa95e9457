import notifier from 'node-notifier'
import { rateLimited } from '../core/notify-limit.js'
import type { Alert, Notifier } from '../core/ports.js'
import { notificationMarkup, shellArgs, visibleText } from '../shared/escape.js'
import { ACTION_LABELS } from '../shared/words.js'

/**
 * What to type, for desktops whose notifications have no buttons (Linux notify-send). Each command
 * is one a shell reads back exactly: stop by pid, trust by the executable's path where known (the
 * stronger identity), quoted by shellArgs.
 */
export function textInstructions(alert: Alert): string {
  // Only the alert's targets: never the trusted app an untrusted one joined.
  const steps: string[] = []
  if (alert.kind === 'unexpected')
    for (const t of alert.targets.trust)
      steps.push(`Trust it: camguard ${shellArgs(['trust', t.exe ?? t.name])}`)
  for (const t of alert.targets.stop) steps.push(`Stop it: camguard stop ${t.pid}`)
  if (alert.kind === 'still-on') steps.push('Snooze: camguard snooze 30')
  steps.push('Help: camguard guide')
  return steps.join('\n')
}

/**
 * The notification's text. Linux servers read the body as markup, so there it is escaped, each line
 * on its own (the line breaks are CamGuard's); elsewhere control and bidi characters are written out.
 * The title is plain text everywhere.
 */
export function notificationText(alert: Alert, buttons: boolean): { title: string; message: string } {
  const title = visibleText(alert.title)
  if (buttons) return { title, message: visibleText(alert.body) }
  const lines = [alert.body, '', ...textInstructions(alert).split('\n')]
  return { title, message: lines.map(notificationMarkup).join('\n') }
}

type Metadata = { activationValue?: string; activationType?: string }
/** What shows a notification: node-notifier's notify, unless a test gives a recorder. */
export type SendNotification = (
  options: notifier.Notification,
  callback: (err: Error | null, response: unknown, metadata?: Metadata) => void,
) => void

const nodeNotifierSend: SendNotification = (options, callback) =>
  notifier.notify(options, callback as notifier.NotificationCallback)

/** node-notifier for `camguard watch`: buttons on macOS and Windows, typed instructions on Linux. */
export function createCliNotifier(options: {
  platform: NodeJS.Platform
  onError: (message: string) => void
  now?: () => number
  send?: SendNotification
}): Notifier {
  const send = options.send ?? nodeNotifierSend
  const buttons = options.platform === 'darwin' || options.platform === 'win32'
  let failed = false
  // One rule with the app's notifications: no storm, whatever the settings say.
  const limit = { onHeldBack: options.onError, ...(options.now ? { now: options.now } : {}) }
  return rateLimited(
    {
      notify(alert, onAction) {
        const labels = alert.actions.map((a) => ACTION_LABELS[a])
        const { title, message } = notificationText(alert, buttons)
        send(
          {
            title,
            message,
            // notify-send (Linux): urgency and app name; ignored elsewhere.
            urgency: alert.urgency,
            'app-name': 'CamGuard',
            appID: 'CamGuard',
            // node-notifier makes every notify-send expire after 10 s, and servers such as dunst honour
            // that even for critical ones: an unexpected camera must stay on screen until dismissed.
            ...(!buttons && alert.urgency === 'critical' ? { 'expire-time': 0 } : {}),
            ...(buttons ? { actions: labels, wait: true } : {}),
          } as notifier.Notification,
          (err, _response, metadata) => {
            if (err) {
              if (!failed) options.onError(`Desktop notifications are not working here: ${err.message}`)
              failed = true
              return
            }
            const chosen = alert.actions.find((a) => ACTION_LABELS[a] === metadata?.activationValue)
            if (chosen) onAction?.(chosen)
            else if (
              metadata?.activationType === 'contentsClicked' ||
              metadata?.activationType === 'clicked'
            ) {
              onAction?.('click')
            }
          },
        )
      },
    },
    limit,
  )
}
