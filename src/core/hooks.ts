// Runs the user's hooks on monitor events: each command without a shell (an argument list), the
// event as one JSON line on its stdin, CAMGUARD_* in its environment, killed after a time limit,
// and what it did kept in a small log. Nothing here waits for a hook, and nothing a hook does can
// stop the monitoring that called it.
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Hook, HookEvent } from '../shared/hooks.js'
import type { CameraUser, DeviceKind, MonitorEvent } from '../shared/types.js'
import { FILE_MODE, ensureDir, errorMessage, writeFileAtomic } from './files.js'
import type { Clock } from './ports.js'
import { systemClock } from './ports.js'

/** A hook still running after this long is killed (with everything it started). */
export const HOOK_TIMEOUT_MS = 10_000
export const HOOK_LOG_FILE = 'hooks.log'
/** At most this many hooks run at once; more are skipped (and logged), not queued. */
const MAX_RUNNING = 8
/** Of each output stream, the last this many characters are kept. */
const MAX_OUTPUT = 2048
/** Once the log grows past MAX_LOG_BYTES it is cut back to its last runs, half that size. */
const MAX_LOG_BYTES = 128 * 1024
/** When CamGuard stops, how long hooks still running may go on before they are killed. */
const STOP_GRACE_MS = 1000
/** After the process exits, how long its output may still drain (children may hold the pipes). */
const DRAIN_MS = 500

/** One run of one hook, as the log keeps it. */
export interface HookRun {
  at: string
  hook: string
  event: HookEvent
  kind: DeviceKind
  command: string[]
  pid: number | null
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  durationMs: number
  stdout: string
  stderr: string
  /** Why it did not run or could not be started. */
  error?: string
}

/** The hook events a monitor event stands for, most specific last. */
export function hookEventsOf(event: MonitorEvent): HookEvent[] {
  switch (event.type) {
    case 'camera-on':
    case 'microphone-on':
      return [event.type, ...(event.unexpected ? ['unexpected' as const] : [])]
    case 'camera-off':
    case 'microphone-off':
      return [event.type]
    case 'apps-changed':
      return event.unexpected ? ['unexpected'] : []
    case 'still-on':
      return ['still-on']
    default:
      return []
  }
}

/** Which device an event is about ('camera' for `ready`, which is about both). */
function kindOf(event: MonitorEvent): DeviceKind {
  return 'kind' in event ? event.kind : 'camera'
}

function appsOf(event: MonitorEvent): CameraUser[] {
  return 'apps' in event ? event.apps : []
}

/** An environment value from another program's string: no NUL (the OS refuses it), bounded. */
function envValue(text: string): string {
  return text.replace(/\0/g, '').slice(0, 1024)
}

export interface HookRunnerOptions {
  hooks: () => readonly Hook[]
  /** The data directory: the log goes in hooks.log there. */
  dir: string
  /** Default HOOK_TIMEOUT_MS. */
  timeoutMs?: number
  /** The environment hooks start from (CAMGUARD_* are set on top). Default: this process's. */
  env?: NodeJS.ProcessEnv
  clock?: Clock
  /** Told when a hook could not be logged; never thrown. */
  onProblem?: (message: string) => void
}

export interface HookRunner {
  /** Starts the hooks that want this event; returns at once. */
  handle(event: MonitorEvent): void
  /** How many hooks are running now. */
  readonly running: number
  /** Resolves once no hook is running. */
  idle(): Promise<void>
  /** Gives the hooks still running a moment to finish, then kills them and waits for them. */
  stop(): Promise<void>
}

export function createHookRunner(options: HookRunnerOptions): HookRunner {
  const clock = options.clock ?? systemClock
  const timeoutMs = options.timeoutMs ?? HOOK_TIMEOUT_MS
  const logPath = join(options.dir, HOOK_LOG_FILE)
  const running = new Map<ChildProcess, Promise<void>>()

  function log(run: HookRun): void {
    try {
      appendLog(logPath, run)
    } catch (err) {
      options.onProblem?.(`could not write ${logPath}: ${errorMessage(err)}`)
    }
  }

  function run(hook: Hook, event: HookEvent, monitorEvent: MonitorEvent): void {
    const started = clock.now()
    const app = appsOf(monitorEvent)[0]
    const entry: HookRun = {
      at: new Date(started).toISOString(),
      hook: hook.id,
      event,
      kind: kindOf(monitorEvent),
      // The log keeps the start of a long command: enough to know which one it was.
      command: hook.command.slice(0, 16).map((a) => a.slice(0, 256)),
      pid: null,
      exitCode: null,
      signal: null,
      timedOut: false,
      durationMs: 0,
      stdout: '',
      stderr: '',
    }
    if (running.size >= MAX_RUNNING) {
      log({ ...entry, error: `skipped: ${MAX_RUNNING} hooks were still running` })
      return
    }
    const env: NodeJS.ProcessEnv = {
      ...(options.env ?? process.env),
      CAMGUARD_EVENT: event,
      CAMGUARD_KIND: entry.kind,
      CAMGUARD_APP: envValue(app?.name ?? ''),
      CAMGUARD_PID: app?.pid == null ? '' : String(app.pid),
    }
    let child: ChildProcess
    try {
      // No shell: the program and its arguments are passed as they are, whatever they contain.
      child = spawn(hook.command[0]!, hook.command.slice(1), {
        shell: false,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so the time limit ends whatever the hook started too.
        detached: process.platform !== 'win32',
        windowsHide: true,
      })
    } catch (err) {
      log({ ...entry, error: `could not start: ${errorMessage(err)}` })
      return
    }
    entry.pid = child.pid ?? null
    const keep = (name: 'stdout' | 'stderr') => (chunk: Buffer) => {
      entry[name] = (entry[name] + chunk.toString('utf8')).slice(-MAX_OUTPUT)
    }
    child.stdout!.on('data', keep('stdout'))
    child.stderr!.on('data', keep('stderr'))
    child.stdin!.on('error', () => undefined) // a hook that does not read its input is fine
    child.stdin!.end(JSON.stringify(monitorEvent) + '\n')

    let finish: () => void = () => undefined
    const done = new Promise<void>((resolve) => (finish = resolve))
    running.set(child, done)
    const kill = () => killGroup(child)
    const limit = clock.setTimeout(() => {
      entry.timedOut = true
      kill()
    }, timeoutMs)
    let ended = false
    const end = () => {
      if (ended) return
      ended = true
      clock.clearTimeout(limit)
      entry.durationMs = clock.now() - started
      child.stdout!.destroy()
      child.stderr!.destroy()
      running.delete(child)
      log(entry)
      finish()
    }
    child.once('error', (err) => {
      entry.error = `could not start: ${err.message}`
      end()
    })
    child.once('exit', (code, signal) => {
      entry.exitCode = code
      entry.signal = signal
      // Output still in the pipes arrives with 'close'; a child the hook left behind may hold them open.
      const drain = setTimeout(end, DRAIN_MS)
      child.once('close', () => {
        clearTimeout(drain)
        end()
      })
    })
  }

  return {
    handle(event) {
      const wanted = hookEventsOf(event)
      if (wanted.length === 0) return
      let hooks: readonly Hook[]
      try {
        hooks = options.hooks()
      } catch (err) {
        options.onProblem?.(`could not read the hooks: ${errorMessage(err)}`)
        return
      }
      for (const hook of hooks) {
        // Once per event, named by the first of its events that matches.
        const match = wanted.find((e) => hook.on.includes(e))
        if (match) run(hook, match, event)
      }
    },
    get running() {
      return running.size
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running.values()])
    },
    async stop() {
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([this.idle(), new Promise((r) => (timer = setTimeout(r, STOP_GRACE_MS)))])
      clearTimeout(timer)
      for (const child of running.keys()) killGroup(child)
      await this.idle()
    },
  }
}

function killGroup(child: ChildProcess): void {
  try {
    if (process.platform !== 'win32' && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    else child.kill('SIGKILL')
  } catch {
    child.kill('SIGKILL') // the group is gone already; make sure of the process
  }
}

/** Appends one run to the log (0600), cutting the log back to its last runs when it grew too big. */
export function appendLog(path: string, run: HookRun): void {
  ensureDir(join(path, '..'))
  appendFileSync(path, JSON.stringify(run) + '\n', { mode: FILE_MODE })
  if (statSync(path).size <= MAX_LOG_BYTES) return
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean)
  let keep = lines.length
  for (let bytes = 0; keep > 0; keep--) {
    bytes += Buffer.byteLength(lines[keep - 1]!) + 1
    if (bytes > MAX_LOG_BYTES / 2) break
  }
  writeFileAtomic(path, lines.slice(keep).join('\n') + '\n')
}

/** The runs in the log, oldest first; lines that cannot be read are skipped. */
export function readHookLog(dir: string): HookRun[] {
  let text: string
  try {
    text = readFileSync(join(dir, HOOK_LOG_FILE), 'utf8')
  } catch {
    return []
  }
  const runs: HookRun[] = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    try {
      const run = JSON.parse(line) as HookRun
      if (run && typeof run.hook === 'string' && typeof run.at === 'string') runs.push(run)
    } catch {
      // a damaged line: skip it
    }
  }
  return runs
}
