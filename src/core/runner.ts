import { execFile } from 'node:child_process'
import type { Runner } from './ports.js'

/** The real Runner: execFile without a shell, bounded in time and output; never throws. */
export const execRunner: Runner = (file, args, options = {}) =>
  new Promise((resolve) => {
    execFile(
      file,
      [...args],
      {
        timeout: options.timeoutMs ?? 5000,
        maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024,
        killSignal: 'SIGKILL',
        windowsHide: true,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { killed?: boolean; signal?: string }) | null
        const spawnError = err && typeof err.code === 'string' ? `${file}: ${err.code}` : undefined
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : null) : 0,
          signal: err?.signal ?? null,
          stdout: String(stdout ?? ''),
          stderr: String(stderr ?? ''),
          timedOut: Boolean(err?.killed && err.signal === 'SIGKILL' && !spawnError),
          ...(spawnError ? { spawnError } : {}),
        })
      },
    )
  })
