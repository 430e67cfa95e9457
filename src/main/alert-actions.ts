// What a notification's button or click does: each maps to one engine call or to opening a view.
import type { Alert, AlertAction, Engine } from '../core/ports.js'
import type { View } from '../shared/ipc.js'

export interface AlertActionDeps {
  engine: Pick<Engine, 'trust' | 'stopApp' | 'remindIn'>
  show: (view: View) => void
  log: (message: string) => void
}

export function handleAlertAction(deps: AlertActionDeps, alert: Alert, action: AlertAction | 'click'): void {
  switch (action) {
    case 'click':
      deps.show('status')
      return
    case 'open-guide':
      deps.show('guide')
      return
    case 'remind-15':
      deps.engine.remindIn(15)
      return
    case 'trust':
      // Trust the apps this alert named (an unnamed user cannot be trusted), then show the result.
      for (const name of new Set(alert.apps.map((a) => a.name))) deps.engine.trust(name)
      deps.show('status')
      return
    case 'stop-app': {
      const pids = [...new Set(alert.apps.map((a) => a.pid).filter((p): p is number => p !== null))]
      // The Status view shows what happened (or the apps that could not be stopped by pid).
      deps.show('status')
      for (const pid of pids) {
        deps.engine
          .stopApp(pid)
          .then((r) => deps.log(`stop ${pid}: ${r.outcome} ${r.message}`))
          .catch((e: unknown) => deps.log(`stop ${pid} failed: ${String(e)}`))
      }
      return
    }
  }
}
