// `camguard remind|snooze` reach the app the same way they reach `camguard watch`: the control socket.
import { engineControlHandler, startControlServer } from '../core/control.js'
import type { Engine } from '../core/ports.js'
import type { AppContext } from './setup-context.js'

/** The running server, or null when the socket could not start (the app still watches). */
export type ControlSetup = Promise<{ close(): unknown } | null>

export function setupControlSocket(ctx: AppContext, engine: Engine): ControlSetup {
  return startControlServer(ctx.dir, engineControlHandler(engine)).catch((e: unknown) => {
    ctx.log(`the control socket could not start: ${String(e)}`)
    return null
  })
}
