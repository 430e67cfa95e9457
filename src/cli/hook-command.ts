import { Command } from 'commander'
import { HOOK_EVENTS, describeCommand, newHookId, parseHookEvents, type Hook } from '../shared/hooks.js'
import { terminalJson, visibleText } from '../shared/escape.js'
import type { Settings } from '../shared/settings.js'
import { readHookLog, type HookRun } from '../core/hooks.js'
import type { SettingsStore } from '../core/ports.js'
import { UsageError } from './errors.js'

export interface HookCommandDeps {
  out: NodeJS.WritableStream
  /** Opens the shared settings (closed again after each command). */
  settings: () => SettingsStore & { close(): void }
  /** The data directory, where the hooks' log is. */
  dir: () => string
}

const EVENTS_HELP = HOOK_EVENTS.join(', ')

function lastRun(run: HookRun | undefined): string {
  if (!run) return 'not run yet'
  const outcome = run.error
    ? run.error
    : run.timedOut
      ? 'killed at its time limit'
      : run.exitCode === 0
        ? 'ok'
        : run.exitCode !== null
          ? `exit ${run.exitCode}`
          : `ended by ${run.signal ?? 'a signal'}`
  return `last run ${run.at} on ${run.event}: ${outcome}`
}

/** `camguard hook add | list | remove`: the user's commands run on events. */
export function hookCommand(deps: HookCommandDeps): Command {
  // Everything printed is written out visibly (shared/escape.ts): commands and logs hold any text.
  const say = (t: string) => deps.out.write(visibleText(t) + '\n')
  const withSettings = <T>(fn: (store: SettingsStore) => T): T => {
    const store = deps.settings()
    try {
      return fn(store)
    } finally {
      store.close()
    }
  }
  const save = (store: SettingsStore, hooks: Hook[]): Settings => {
    const result = store.set('hooks', hooks)
    if (!result.ok) throw new UsageError(`${result.error}. Nothing was changed.`)
    return result.settings
  }

  const hook = new Command('hook')
    .description('run your own commands when the camera or microphone turns on or off')
    // `add` passes everything after its command's name through to the command.
    .enablePositionalOptions()

  hook
    .command('add')
    .description(`add a command to run on events (${EVENTS_HELP}); no shell is used`)
    .requiredOption('--on <events>', `events, comma-separated: ${EVENTS_HELP}`)
    .argument('<command...>', 'the program and its arguments; put -- before them')
    .passThroughOptions()
    .addHelpText(
      'after',
      `
The program gets the event as one JSON line on its standard input, and CAMGUARD_EVENT,
CAMGUARD_KIND, CAMGUARD_APP and CAMGUARD_PID in its environment. It is stopped after 10 s.

Example:
  camguard hook add --on camera-on,microphone-on -- notify-send "On air"`,
    )
    .action((command: string[], opts: { on: string }) => {
      const events = parseHookEvents(opts.on)
      if (!events.ok) throw new UsageError(`${events.error}. Nothing was changed.`)
      if (!command[0]?.trim()) throw new UsageError('give the program to run after --. Nothing was changed.')
      withSettings((store) => {
        const hooks = store.get().hooks
        const added: Hook = { id: newHookId(hooks), on: events.events, command }
        save(store, [...hooks, added])
        say(`Added hook ${added.id}: on ${added.on.join(', ')}, runs ${describeCommand(command)}`)
      })
    })

  hook
    .command('list')
    .description('show the hooks, and how each last ran')
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) => {
      const hooks = withSettings((store) => store.get().hooks)
      if (opts.json) {
        deps.out.write(terminalJson(hooks) + '\n')
        return
      }
      if (hooks.length === 0) {
        say('No hooks yet. Add one with: camguard hook add --on camera-on -- PROGRAM [ARGS...]')
        return
      }
      const runs = readHookLog(deps.dir())
      for (const h of hooks) {
        const last = runs.filter((r) => r.hook === h.id).at(-1)
        say(`${h.id}  on ${h.on.join(', ')}: ${describeCommand(h.command)}`)
        say(`        ${lastRun(last)}`)
      }
    })

  hook
    .command('remove')
    .description('remove a hook by its id (see "camguard hook list")')
    .argument('<id>', 'the hook id')
    .action((id: string) => {
      withSettings((store) => {
        const hooks = store.get().hooks
        const wanted = id.trim().toLowerCase()
        if (!hooks.some((h) => h.id === wanted))
          throw new UsageError(
            `no hook has the id ${JSON.stringify(id)}; see "camguard hook list". Nothing was changed.`,
          )
        save(
          store,
          hooks.filter((h) => h.id !== wanted),
        )
        say(`Removed hook ${wanted}.`)
      })
    })

  return hook
}
