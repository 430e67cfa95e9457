// File-change notifications for the Linux detector, through `inotifywait -m` from inotify-tools: one
// idle child process instead of a native addon (no install scripts), killed when the watch stops.
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export interface FileWatchHandlers {
  /** `events` are inotify names such as OPEN, CLOSE_NOWRITE, CLOSE, DELETE_SELF, CREATE. */
  onEvent(path: string, events: readonly string[]): void
  /** The watch ended without stop() (the program died, or every watched file went away). */
  onExit(reason: string): void
}

export interface FileWatch {
  /** Ends the watch and its process; resolves once the process is gone. Safe to call twice. */
  stop(): Promise<void>
}

/** Starts watching; rejects when inotify cannot be used here (program missing, watch refused). */
export type FileWatcherFactory = {
  (paths: readonly string[], events: readonly string[], handlers: FileWatchHandlers): Promise<FileWatch>
  /** Whether a watch could be started at all, answered without starting one. */
  available?(): boolean
}

const READY_TIMEOUT_MS = 5000
const KILL_GRACE_MS = 1000
const MAX_STDERR = 2048

/** Whether `program` is an executable file on PATH. */
export function onPath(program: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    try {
      accessSync(join(dir, program), constants.X_OK)
      return true
    } catch {
      // next
    }
  }
  return false
}

// Children alive right now, killed if Node exits without stopping them (a crash or process.exit).
const live = new Set<ChildProcess>()
let exitHookInstalled = false
function track(child: ChildProcess): void {
  live.add(child)
  if (!exitHookInstalled) {
    exitHookInstalled = true
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL')
    })
  }
}

export function createInotifyWatcher(program = 'inotifywait'): FileWatcherFactory {
  const factory: FileWatcherFactory = (paths, events, handlers) =>
    new Promise<FileWatch>((resolve, reject) => {
      // Without -q inotifywait says "Watches established." on stderr: only then is nothing missed.
      const args = ['-m', '--format', '%e %w%f', ...events.flatMap((e) => ['-e', e]), '--', ...paths]
      let child: ChildProcess
      try {
        child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)))
        return
      }
      track(child)
      let ready = false
      let stopping = false
      let stderr = ''
      let pending = ''
      const exited = new Promise<void>((r) => child.once('close', () => r()))
      const timer = setTimeout(() => {
        fail(`${program} did not set up its watches within ${READY_TIMEOUT_MS} ms`)
        child.kill('SIGKILL')
      }, READY_TIMEOUT_MS)
      const fail = (reason: string) => {
        clearTimeout(timer)
        if (!ready) reject(new Error(reason))
      }
      child.stdout!.setEncoding('utf8')
      child.stdout!.on('data', (chunk: string) => {
        pending += chunk
        let nl: number
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl)
          pending = pending.slice(nl + 1)
          const space = line.indexOf(' ')
          if (space <= 0) continue
          try {
            handlers.onEvent(line.slice(space + 1), line.slice(0, space).split(','))
          } catch {
            // A handler's bug must not take the watch down.
          }
        }
      })
      child.stderr!.setEncoding('utf8')
      child.stderr!.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-MAX_STDERR)
        if (!ready && stderr.includes('Watches established.')) {
          ready = true
          clearTimeout(timer)
          resolve({ stop })
        }
      })
      child.once('error', (err) => fail(`${program} could not be started: ${err.message}`))
      child.once('close', (code, signal) => {
        live.delete(child)
        const why = stderr.replace(/Setting up watches\.\s*|Watches established\.\s*/g, '').trim()
        const reason = `${program} stopped (${signal ?? `exit ${code}`})${why ? `: ${why}` : ''}`
        if (!ready) fail(reason)
        else if (!stopping) handlers.onExit(reason)
      })
      async function stop(): Promise<void> {
        stopping = true
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
          child.kill('SIGTERM')
          const hard = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS)
          await exited
          clearTimeout(hard)
        }
      }
    })
  factory.available = () => onPath(program)
  return factory
}
