// What a notification's button or click does in the app: the action itself is the core's
// (src/core/alert-actions.ts, the same for every face); here it is only which view to show and
// what to write to the log.
import { carryOutAlertAction } from '../core/alert-actions.js'
import type { Alert, AlertAction, Engine } from '../core/ports.js'
import type { View } from '../shared/ipc.js'

export interface AlertActionDeps {
  engine: Pick<Engine, 'trust' | 'stopApp' | 'remindIn'>
  show: (view: View) => void
  log: (message: string) => void
}

export function handleAlertAction(deps: AlertActionDeps, alert: Alert, action: AlertAction | 'click'): void {
  if (action === 'click' || action === 'open-guide') {
    deps.show(action === 'click' ? 'status' : 'guide')
    return
  }
  // The Status view shows what happened (the apps, who is trusted now, what could not be stopped).
  if (action !== 'remind-15') deps.show('status')
  carryOutAlertAction(
    {
      trust: (entries) => deps.engine.trust(entries),
      stop: (t) => deps.engine.stopApp(t),
      remindIn: (m) => deps.engine.remindIn(m),
    },
    alert,
    action,
  )
    .then((done) => {
      for (const r of done.stopped) deps.log(`stop ${r.pid}: ${r.outcome} ${r.message}`)
      for (const r of done.refused) deps.log(`not trusted: ${r.name}: ${r.why}`)
    })
    .catch((e: unknown) => deps.log(`${action} failed: ${String(e)}`))
}
