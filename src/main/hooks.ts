// The app runs the user's hooks on the engine's events, exactly as `camguard watch` does.
import { createHookRunner, type HookRunner } from '../core/hooks.js'
import type { Engine, SettingsStore } from '../core/ports.js'

export interface HooksDeps {
  engine: Pick<Engine, 'onEvent'>
  settings: Pick<SettingsStore, 'get'>
  /** The data directory (the hooks' log goes there). */
  dir: string
  log: (message: string) => void
}

/** Starts running hooks on events; stop() ends the ones still running (on quit). */
export function setupHooks(deps: HooksDeps): { stop(): Promise<void> } {
  const runner: HookRunner = createHookRunner({
    hooks: () => deps.settings.get().hooks,
    dir: deps.dir,
    onProblem: deps.log,
  })
  const off = deps.engine.onEvent((event) => runner.handle(event))
  return {
    async stop() {
      off()
      await runner.stop()
    },
  }
}
