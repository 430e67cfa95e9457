import type { Alert, Notifier } from './ports.js'

/**
 * How many notifications CamGuard may show, whatever the settings or the watched programs do: a
 * reminder at most once a minute, and at most a few notifications of any kind a minute (a program
 * switching the camera on and off cannot bury the desktop). The terminal, the tray, the window and
 * the history still get every event.
 */
export const NOTIFY_LIMITS = {
  windowMs: 60_000,
  /** Any kind, in one window. */
  perWindow: 6,
  /** 'still-on' reminders, in one window. */
  remindersPerWindow: 1,
} as const

export interface NotifyLimitOptions {
  now?: () => number
  /** Told once per window in which something was held back. */
  onHeldBack?: (message: string) => void
}

/** Wraps a notifier so that it shows no more than NOTIFY_LIMITS allows; the rest is dropped. */
export function rateLimited(notifier: Notifier, options: NotifyLimitOptions = {}): Notifier {
  const now = options.now ?? Date.now
  let shown: { at: number; reminder: boolean }[] = []
  let toldAt = -Infinity
  return {
    notify(alert: Alert, onAction) {
      const t = now()
      shown = shown.filter((s) => t - s.at < NOTIFY_LIMITS.windowMs)
      const reminder = alert.kind === 'still-on'
      const full =
        shown.length >= NOTIFY_LIMITS.perWindow ||
        (reminder && shown.filter((s) => s.reminder).length >= NOTIFY_LIMITS.remindersPerWindow)
      if (full) {
        if (t - toldAt >= NOTIFY_LIMITS.windowMs) {
          toldAt = t
          options.onHeldBack?.(
            'Too many notifications in a minute: CamGuard holds the rest back for now. Every event is still in the terminal, the window and the history.',
          )
        }
        return
      }
      shown.push({ at: t, reminder })
      notifier.notify(alert, onAction)
    },
  }
}
