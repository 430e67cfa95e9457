// A long-running child process read line by line (macOS `log stream`, `pw-dump --monitor`). The Runner port only runs
// programs to completion, so streams get their own small port that a test can fake.
import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export interface StreamExit {
  code: number | null
  signal: string | null
  /** Set when the program could not be started (e.g. ENOENT) or failed while running. */
  error?: string
  /** The last few KB the program wrote to stderr, for the reason it stopped. */
  stderr: string
}

export interface LineStream {
  /** Stops the program; onExit still fires once it is gone. Safe to call more than once. */
  kill(): void
}

export type SpawnLines = (
  file: string,
  args: readonly string[],
  onLine: (line: string) => void,
  onExit: (exit: StreamExit) => void,
) => LineStream

const MAX_LINE = 1 << 20
const MAX_STDERR = 4096
const KILL_GRACE_MS = 2000

// A program that runs as long as CamGuard must not outlive it, however CamGuard ends, SIGKILL
// included (no exit handler sees that). On Unix it runs under a small sh holding a pipe from
// CamGuard, which nothing writes to: the pipe closes when CamGuard closes it (kill()) or is gone, and
// then sh ends the program. sh reaps what it started and ends as the program did (code or signal).
const GUARD = [
  'exec 3<&0',
  '"$@" 3<&- </dev/null & p=$!',
  '(read _ <&3; kill $p 2>/dev/null) & r=$!',
  'wait $p; s=$?',
  'kill $r 2>/dev/null; wait $r',
  '[ $s -gt 128 ] && kill -$((s - 128)) $$',
  'exit $s',
].join('\n')

/** The program's path as exec would find it, or null (reported as ENOENT, as spawn would). */
function findProgram(file: string): string | null {
  const runnable = (path: string) => {
    try {
      accessSync(path, constants.X_OK)
      return true
    } catch {
      return false
    }
  }
  if (file.includes('/')) return runnable(file) ? file : null
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && runnable(join(dir, file))) return join(dir, file)
  }
  return null
}

export const spawnLines: SpawnLines = (file, args, onLine, onExit) => {
  let exited = false
  let stderr = ''
  const exit = (info: Omit<StreamExit, 'stderr'>) => {
    if (exited) return
    exited = true
    try {
      onExit({ ...info, stderr })
    } catch {
      // A listener's bug must not become an uncaught exception in the engine.
    }
  }
  const emit = (line: string) => {
    try {
      onLine(line)
    } catch {
      // as above
    }
  }

  const guarded = process.platform !== 'win32'
  const program = guarded ? findProgram(file) : file
  if (program === null) {
    queueMicrotask(() => exit({ code: null, signal: null, error: `spawn ${file} ENOENT` }))
    return { kill() {} }
  }
  let child: ReturnType<typeof spawn>
  try {
    child = guarded
      ? spawn('/bin/sh', ['-c', GUARD, 'camguard-guard', program, ...args], {
          stdio: ['pipe', 'pipe', 'pipe'],
          detached: true,
        })
      : spawn(file, [...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (err) {
    queueMicrotask(() =>
      exit({ code: null, signal: null, error: err instanceof Error ? err.message : String(err) }),
    )
    return { kill() {} }
  }

  let pending = ''
  child.stdout?.setEncoding('utf8')
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk
    let at: number
    while ((at = pending.indexOf('\n')) >= 0) {
      emit(pending.slice(0, at).replace(/\r$/, ''))
      pending = pending.slice(at + 1)
    }
    // A line without end would grow without bound; drop it rather than the process's memory.
    if (pending.length > MAX_LINE) pending = ''
  })
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-MAX_STDERR)
  })
  child.on('error', (err) => exit({ code: null, signal: null, error: err.message }))
  child.on('close', (code, signal) => {
    if (pending !== '') emit(pending.replace(/\r$/, ''))
    pending = ''
    exit({ code, signal })
  })

  return {
    kill() {
      // A child that never started has no pid; killing it hangs Node 20 in a busy loop.
      if (exited || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
      const pid = child.pid
      const signal = (name: NodeJS.Signals) => {
        try {
          if (guarded) process.kill(-pid, name)
          else child.kill(name)
        } catch {
          // already gone
        }
      }
      if (guarded) child.stdin?.destroy()
      else signal('SIGTERM')
      const hard = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) signal('SIGKILL')
      }, KILL_GRACE_MS)
      hard.unref()
    },
  }
}
