// A long-running child process read line by line (macOS `log stream`). The Runner port only runs
// programs to completion, so streams get their own small port that a test can fake.
import { spawn } from 'node:child_process'

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

  let child: ReturnType<typeof spawn>
  try {
    child = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'pipe'] })
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
      child.kill('SIGTERM')
      const hard = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      }, KILL_GRACE_MS)
      hard.unref()
    },
  }
}
