import { readFileSync } from 'node:fs'
import { Command, CommanderError, Option } from 'commander'
import { terminalJson, visibleText } from '../shared/escape.js'
import { SETTINGS_KEYS, type Settings, type SettingsKey } from '../shared/settings.js'
import type { ActivitySession, CameraSnapshot, MonitorEvent } from '../shared/types.js'
import { formatActivity } from '../core/activity-export.js'
import { ActivityLog } from '../core/activity-log.js'
import { createDetector } from '../core/camera/select.js'
import { withMicrophone } from '../core/microphone/combined.js'
import { createMicDetector } from '../core/microphone/select.js'
import {
  engineControlHandler,
  sendControl,
  startControlServer,
  type ControlRequest,
} from '../core/control.js'
import { dataDir } from '../core/data-dir.js'
import { carryOutAlertAction } from '../core/alert-actions.js'
import { createEngine } from '../core/engine.js'
import { appsOf, micAppsOf } from '../core/monitor.js'
import type { SeenApp } from '../shared/trust.js'
import { trustCommands } from './trust-command.js'
import { createHookRunner } from '../core/hooks.js'
import { errorMessage } from '../core/files.js'
import { acquireMonitorLock, runningMonitor } from '../core/lock.js'
import type { CameraDetector, Clock, Notifier, Runner } from '../core/ports.js'
import { stopApp, usersNowFrom } from '../core/stop-app.js'
import { asSentence, RuntimeError, UsageError, usageMessage } from './errors.js'
import { formatEvent, formatSession, formatSnapshot } from './format.js'
import { doctorCommand } from './doctor-command.js'
import { evidenceCommand } from './evidence-command.js'
import { guideCommand } from './guide-command.js'
import { hookCommand } from './hook-command.js'
import { collect, intArg, minutesArg, pidArg, parseConfigValue, parseSince, settingsKeyArg } from './parse.js'
import { openCliSettings, settingRefused } from './settings.js'

export interface CliContext {
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  home: string
  version: string
  clock?: Clock
  runner?: Runner
  createDetector?: (patterns: () => readonly string[]) => CameraDetector
  createMicDetector?: (patterns: () => readonly string[]) => CameraDetector
  createNotifier?: () => Notifier
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal?: () => Promise<string>
}

interface WatchOptions {
  json?: boolean
  notify: boolean
  interval?: number
  device?: string[]
  micDevice?: string[]
}

const line = (stream: NodeJS.WritableStream, text: string) => stream.write(text + '\n')

/** How stopSignal says the process is ending on an error rather than on a signal. */
export const FATAL = 'error: '

export function buildProgram(ctx: CliContext): Command {
  // One line that says what to do, pointing at the help of the command that was mistyped.
  const outputFor = (commandLine: string) => ({
    writeOut: (s: string) => void ctx.out.write(s),
    writeErr: (s: string) => void ctx.err.write(s),
    outputError: (s: string, write: (s: string) => void) =>
      write(`camguard: ${visibleText(usageMessage(s, commandLine))}\n`),
  })
  const program = new Command('camguard')
  // Everything printed goes through visibleText: names and paths come from other programs and must
  // not act on the terminal. JSON stays JSON (see terminalJson); a multi-line text is said line by line.
  const say = (t: string) => line(ctx.out, visibleText(t))
  const warn = (t: string) => line(ctx.err, `camguard: ${visibleText(t)}`)

  program
    .description(
      'Tells you when your camera is on, which app uses it, and what to do if someone threatens you.',
    )
    .version(ctx.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .addOption(new Option('--data-dir <dir>', 'where settings and history are kept').env('CAMGUARD_DATA_DIR'))
    .showSuggestionAfterError(true)
    .configureOutput(outputFor('camguard'))

  const dir = () => {
    const opts = program.opts<{ dataDir?: string }>()
    return opts.dataDir ? opts.dataDir : dataDir(ctx.env, ctx.platform, ctx.home)
  }
  const settingsStore = (watch = false) => openCliSettings(dir(), (m) => warn(m), watch)
  const detectorFor = (patterns: () => readonly string[], alertVirtualDevices?: () => boolean) =>
    ctx.createDetector?.(patterns) ??
    createDetector({
      platform: ctx.platform,
      devicePatterns: patterns,
      ...(alertVirtualDevices ? { alertVirtualDevices } : {}),
      ...(ctx.runner ? { runner: ctx.runner } : {}),
      ...(ctx.clock ? { clock: ctx.clock } : {}),
    })
  const micDetectorFor = (patterns: () => readonly string[], alertVirtualDevices?: () => boolean) =>
    ctx.createMicDetector?.(patterns) ??
    createMicDetector({
      platform: ctx.platform,
      devicePatterns: patterns,
      alertVirtualDevices: alertVirtualDevices ?? (() => false),
      env: ctx.env,
      ...(ctx.runner ? { runner: ctx.runner } : {}),
      ...(ctx.clock ? { clock: ctx.clock } : {}),
    })
  /** The camera and the microphone detectors as one, on the patterns given or else the settings'. */
  const devicesFor = (
    settings: () => Settings,
    given: { device?: string[]; micDevice?: string[] },
    // A --mic-device given for this run asks for the microphone, whatever the setting says.
    micWanted = () => given.micDevice !== undefined || settings().watchMicrophone,
  ) =>
    withMicrophone(
      detectorFor(
        () => given.device ?? settings().devicePatterns,
        () => settings().alertVirtualDevices,
      ),
      micDetectorFor(
        () => given.micDevice ?? settings().micDevicePatterns,
        () => settings().alertVirtualDevices,
      ),
      micWanted,
    )

  program
    .command('status')
    .description('say whether a camera is on now, and which app uses it')
    .option('--json', 'print one CameraSnapshot as JSON')
    .option('--device <glob>', 'camera device pattern, instead of the setting (repeatable)', collect)
    .option('--mic-device <glob>', 'microphone device pattern, instead of the setting (repeatable)', collect)
    .action(async (opts: { json?: boolean; device?: string[]; micDevice?: string[] }) => {
      const store = settingsStore()
      const settings = store.get()
      const detector = devicesFor(() => settings, opts)
      try {
        const snapshot = await detector.snapshot()
        if (opts.json) say(terminalJson(snapshot))
        else for (const l of formatSnapshot(snapshot).split('\n')) say(l)
        if (snapshot.state === 'unknown')
          throw new RuntimeError(snapshot.error ?? 'the camera state is unknown')
      } finally {
        await detector.close()
        store.close()
      }
    })

  program
    .command('watch')
    .description('watch the camera and tell you when it turns on; runs until Ctrl+C')
    .option('--json', 'print one MonitorEvent a line as JSON')
    .option('--no-notify', 'print events only, send no desktop notifications')
    .option(
      '--interval <ms>',
      'how often to check, in milliseconds (50 to 600000)',
      intArg('--interval', 50, 600_000),
    )
    .option('--device <glob>', 'camera device pattern, instead of the setting (repeatable)', collect)
    .option('--mic-device <glob>', 'microphone device pattern, instead of the setting (repeatable)', collect)
    .action(async (opts: WatchOptions) => {
      const d = dir()
      const lock = acquireMonitorLock(d)
      if (!lock.ok) {
        throw new RuntimeError(
          `another CamGuard monitor (pid ${lock.holder.pid}) is already watching ${d}. Stop it first, or use --data-dir for a separate one.`,
        )
      }
      // Every way out (a signal, a failure while starting or running) undoes what was set up, last
      // first: the lock and the control socket never outlive this monitor.
      const cleanups: (() => unknown)[] = [() => lock.release()]
      let stopped = ''
      try {
        const store = settingsStore(true)
        cleanups.push(() => store.close())
        const activity = new ActivityLog(d)
        // A history that cannot be written is said once; watching goes on.
        activity.onProblem((problem) => problem && warn(problem))
        cleanups.push(() => {
          const lost = activity.close()
          if (lost) warn(lost)
        })
        const detector = devicesFor(() => store.get(), opts)
        const engine = createEngine({
          detector,
          settings: store,
          activity,
          ...(opts.interval !== undefined ? { intervalMs: opts.interval } : {}),
          ...(ctx.clock ? { clock: ctx.clock } : {}),
        })
        cleanups.push(() => engine.stop())
        // node-notifier loads only when notifications are wanted.
        const notifier = opts.notify
          ? (ctx.createNotifier?.() ??
            (await import('./notifier.js')).createCliNotifier({ platform: ctx.platform, onError: warn }))
          : null
        engine.onEvent((e: MonitorEvent) => say(opts.json ? terminalJson(e) : formatEvent(e)))
        const hooks = createHookRunner({ hooks: () => store.get().hooks, dir: d, onProblem: warn })
        cleanups.push(() => hooks.stop())
        engine.onEvent((e) => hooks.handle(e))
        engine.onAlert((alert) =>
          notifier?.notify(alert, (action) => {
            if (action === 'click') return
            carryOutAlertAction(
              {
                trust: (entries) => engine.trust(entries),
                stop: (t) => engine.stopApp(t),
                remindIn: (m) => engine.remindIn(m),
              },
              alert,
              action,
            ).then(
              (done) => {
                for (const r of done.stopped) warn(r.message)
                for (const r of done.refused) warn(`${r.name} was not trusted: ${r.why}.`)
              },
              (e: unknown) => warn(errorMessage(e)),
            )
          }),
        )
        store.onChange((s: Settings) => {
          if (!opts.json)
            say(
              `Settings changed: ${s.trustedApps.length} trusted app(s), alerts for ${s.notifyFor} activations.`,
            )
        })
        // Listen first, so `camguard remind` works from the moment `ready` is printed.
        const control = await startControlServer(d, engineControlHandler(engine), { env: ctx.env })
        cleanups.push(() => control.close())
        await engine.start()
        stopped = await (ctx.stopSignal?.() ?? new Promise<string>(() => undefined))
        if (!opts.json) say(`Stopping (${stopped}).`)
      } finally {
        for (const undo of cleanups.reverse()) {
          try {
            await undo()
          } catch (err) {
            warn(`while stopping: ${errorMessage(err)}`)
          }
        }
      }
      if (stopped.startsWith(FATAL)) throw new RuntimeError(stopped.slice(FATAL.length))
    })

  program
    .command('log')
    .description('show the history of camera sessions')
    .addOption(new Option('--json', 'print the sessions as a JSON array').conflicts('csv'))
    .option('--csv', 'print the sessions as CSV (one row a session; spreadsheets open it safely)')
    .option(
      '--since <when>',
      'only sessions since a date, "today", "yesterday", or an age like 2h or 7d',
      (v) => parseSince(v, new Date(ctx.clock?.now() ?? Date.now())),
    )
    .option('--limit <n>', 'only the last N sessions', intArg('--limit', 1, 1_000_000))
    .option('--compact', 'rewrite the history file with one line a session (it is otherwise only appended)')
    .action((opts: { json?: boolean; csv?: boolean; since?: Date; limit?: number; compact?: boolean }) => {
      if (opts.compact) {
        // A running monitor appends to the file: rewriting under it could lose a line.
        const monitor = runningMonitor(dir())
        if (monitor)
          throw new RuntimeError(
            `a CamGuard monitor (pid ${monitor.pid}) is writing the history; stop it first.`,
          )
        const n = new ActivityLog(dir()).compact()
        say(
          `The history was rewritten with one line for each of its ${n} session(s); damaged lines were kept.`,
        )
        return
      }
      const read = new ActivityLog(dir()).read({
        ...(opts.since ? { since: opts.since } : {}),
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      })
      if (read.damaged.length) {
        warn(
          `${read.damaged.length} line(s) of the activity log could not be read (line ${read.damaged.map((d) => d.line).join(', ')}); they were skipped and kept in the file.`,
        )
      }
      if (opts.json) say(terminalJson(read.sessions))
      else if (opts.csv) ctx.out.write(formatActivity(read.sessions.map(visibleNames), 'csv'))
      else if (read.sessions.length === 0) say('No camera sessions recorded.')
      else for (const s of read.sessions) say(formatSession(s))
    })

  const config = program.command('config').description('read and change settings')
  config
    .command('list')
    .description('show every setting')
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) => {
      const store = settingsStore()
      const s = store.get()
      if (opts.json) say(JSON.stringify(s))
      else for (const key of SETTINGS_KEYS) say(`${key} = ${JSON.stringify(s[key])}`)
      store.close()
    })
  config
    .command('get')
    .description('show one setting')
    .argument('<key>', `one of: ${SETTINGS_KEYS.join(', ')}`, settingsKeyArg)
    .action((key: SettingsKey) => {
      const store = settingsStore()
      say(JSON.stringify(store.get()[key]))
      store.close()
    })
  config
    .command('set')
    .description('change one setting (checked before it is saved)')
    .argument('<key>', `one of: ${SETTINGS_KEYS.join(', ')}`, settingsKeyArg)
    .argument('<value>', 'JSON, or a plain word, number, list (a,b) or time range (22:00-07:00)')
    .action((key: SettingsKey, raw: string) => {
      const store = settingsStore()
      try {
        const result = store.set(key, parseConfigValue(key, raw))
        if (!result.ok) throw settingRefused(result, 'Nothing was changed.')
        say(`${key} = ${JSON.stringify(result.settings[key])}`)
      } finally {
        store.close()
      }
    })
  config
    .command('reset')
    .description('put every setting back to its default')
    .action(() => {
      const store = settingsStore()
      store.reset()
      say('All settings are back to their defaults.')
      store.close()
    })

  /** The apps using the camera or the microphone now, and those of the last sessions in the history. */
  const seenApps = async (): Promise<SeenApp[]> => {
    const store = settingsStore()
    const settings = store.get()
    store.close()
    const detector = devicesFor(() => settings, {})
    let snapshot: CameraSnapshot
    try {
      snapshot = await detector.snapshot()
    } finally {
      await detector.close()
    }
    const now: SeenApp[] = [
      ...appsOf(snapshot).map((app) => ({ app, kind: 'camera' as const })),
      ...micAppsOf(snapshot).map((app) => ({ app, kind: 'microphone' as const })),
    ]
    let recent: SeenApp[] = []
    try {
      recent = new ActivityLog(dir())
        .read({ limit: 50 })
        .sessions.reverse()
        .flatMap((s) => s.apps.map((app) => ({ app, kind: s.kind ?? ('camera' as const) })))
    } catch {
      recent = [] // an unreadable history leaves the apps running now
    }
    return [...now, ...recent]
  }
  for (const cmd of trustCommands({ say, settings: () => settingsStore(), seen: seenApps }))
    program.addCommand(cmd)

  const control = async (req: ControlRequest) => {
    const reply = await sendControl(dir(), req, 3000, { env: ctx.env })
    if (reply === null) {
      throw new RuntimeError(
        runningMonitor(dir())
          ? 'the running monitor does not answer; restart "camguard watch".'
          : 'no CamGuard monitor is running. Start one with "camguard watch" (or open the app).',
      )
    }
    if (!reply.ok) throw new RuntimeError(reply.message)
    say(reply.message)
  }
  program
    .command('remind')
    .description('remind me in N minutes if the camera is still on (needs a running monitor)')
    .argument('<minutes>', 'minutes from now', minutesArg)
    .action((minutes: number) => control({ cmd: 'remind', minutes }))
  program
    .command('snooze')
    .description('hold back "still on" reminders for N minutes, or until the camera goes off')
    .argument('[minutes]', 'minutes; leave out to snooze until the camera goes off', minutesArg)
    .action((minutes?: number) => control({ cmd: 'snooze', minutes: minutes ?? null }))
  program
    .command('stop')
    .description('stop an app that is using the camera or microphone now (asks it to close, then forces it)')
    .argument('<pid>', 'the process id CamGuard shows', pidArg)
    .option('--device <glob>', 'camera device pattern, instead of the setting (repeatable)', collect)
    .option('--mic-device <glob>', 'microphone device pattern, instead of the setting (repeatable)', collect)
    .action(async (pid: number, opts: { device?: string[]; micDevice?: string[] }) => {
      const store = settingsStore()
      const settings = store.get()
      const detector = devicesFor(
        () => settings,
        opts,
        () => settings.watchMicrophone || opts.micDevice !== undefined,
      )
      try {
        const result = await stopApp({ pid }, { usersNow: usersNowFrom(detector) })
        if (!result.ok) throw new RuntimeError(result.message)
        say(result.message)
      } finally {
        await detector.close()
        store.close()
      }
    })

  program.addCommand(
    guideCommand({
      out: ctx.out,
      err: ctx.err,
      env: ctx.env,
      regionSetting: () => {
        const store = settingsStore()
        try {
          return store.get().region
        } finally {
          store.close()
        }
      },
    }),
  )

  program.addCommand(evidenceCommand({ out: ctx.out, err: ctx.err, dataDir: dir, version: ctx.version }))
  program.addCommand(hookCommand({ out: ctx.out, settings: () => settingsStore(), dir }))
  program.addCommand(doctorCommand({ ...ctx, settings: () => settingsStore(), detectorFor }))

  for (const cmd of program.commands) {
    cmd.configureOutput(outputFor(`camguard ${cmd.name()}`))
    for (const sub of cmd.commands) sub.configureOutput(outputFor(`camguard ${cmd.name()} ${sub.name()}`))
  }
  return program
}

/** Runs the command line; returns the exit code (0 ok, 1 runtime failure, 2 usage error). */
export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx)
  program.exitOverride()
  for (const cmd of program.commands) {
    cmd.exitOverride()
    for (const sub of cmd.commands) sub.exitOverride()
  }
  try {
    if (argv.length === 0) {
      program.outputHelp()
      return 0
    }
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0
      if (err.code === 'commander.executeSubCommandAsync') return 0
      return 2 // commander already printed the one-line message
    }
    if (err instanceof UsageError) {
      line(ctx.err, `camguard: ${visibleText(asSentence(err.message))}`)
      return 2
    }
    line(ctx.err, `camguard: ${visibleText(errorMessage(err))}`)
    return 1
  }
}

/** A session whose app names are written out for the terminal (CSV keeps its own line breaks). */
function visibleNames(s: ActivitySession): ActivitySession {
  return { ...s, apps: s.apps.map((a) => ({ ...a, name: visibleText(a.name) })) }
}

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string
    }
    return pkg.version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}
