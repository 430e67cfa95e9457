// What an alert's actions do, once for every face (a notification button in the app or the CLI's
// notifier, the tray, the window, `camguard`): "Trust" adds the identities the alert names as
// targets, "Stop app" stops the processes it names as targets (each checked first to be still the
// process that used the device), "Remind me" arms a reminder. Never anything beyond the targets: a
// trusted app that an untrusted one joined is neither stopped nor trusted again.
import type { StopAppResult } from '../shared/ipc.js'
import type { Settings } from '../shared/settings.js'
import type { TrustEntry } from '../shared/trust.js'
import type { Alert, AlertAction, AlertStopTarget } from './ports.js'

export interface AlertActionDeps {
  trust(entries: TrustEntry[]): Settings
  /** Stops one target; the stop re-checks that it is still that process (src/core/stop-app.ts). */
  stop(target: AlertStopTarget): Promise<StopAppResult>
  remindIn(minutes: number): unknown
}

export interface AlertActionOutcome {
  action: AlertAction
  trusted: TrustEntry[]
  stopped: StopAppResult[]
  /** Apps the action could not act on, and why. */
  refused: { name: string; why: string }[]
}

/** Carries out one alert action on the alert's targets only. */
export async function carryOutAlertAction(
  deps: AlertActionDeps,
  alert: Alert,
  action: AlertAction,
): Promise<AlertActionOutcome> {
  const outcome: AlertActionOutcome = { action, trusted: [], stopped: [], refused: [] }
  switch (action) {
    case 'trust':
      outcome.refused = [...alert.targets.refused]
      if (alert.targets.trust.length) {
        deps.trust(alert.targets.trust)
        outcome.trusted = [...alert.targets.trust]
      }
      return outcome
    case 'stop-app':
      for (const target of alert.targets.stop) outcome.stopped.push(await deps.stop(target))
      return outcome
    case 'remind-15':
      deps.remindIn(15)
      return outcome
    case 'open-guide':
      return outcome
  }
}
