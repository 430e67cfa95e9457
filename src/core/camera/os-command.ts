// Shared by the macOS and Windows detectors: every OS command runs through the injected Runner,
// bounded in time, and any failure becomes a sentence a user can act on instead of a throw.
import type { Clock, RunResult } from '../ports.js'
import type { CameraSnapshot } from '../../shared/types.js'

export const DEFAULT_COMMAND_TIMEOUT_MS = 5000

/** Why a finished command cannot be trusted, or null when it exited 0. */
export function describeRunFailure(label: string, result: RunResult, timeoutMs: number): string | null {
  if (result.spawnError) return `could not start ${label}: ${result.spawnError}`
  if (result.timedOut) return `${label} did not answer within ${formatSeconds(timeoutMs)}`
  if (result.signal) return `${label} was stopped by ${result.signal}`
  if (result.code !== 0) {
    const detail = firstLine(result.stderr) || firstLine(result.stdout)
    return `${label} exited with code ${String(result.code)}${detail ? `: ${detail}` : ''}`
  }
  return null
}

export function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '')
  return line ? line.trim().slice(0, 200) : ''
}

function formatSeconds(ms: number): string {
  const s = ms / 1000
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`
}

export function unknownSnapshot(
  detector: string,
  clock: Clock,
  error: string,
  warnings: string[] = [],
): CameraSnapshot {
  return {
    state: 'unknown',
    checkedAt: new Date(clock.now()).toISOString(),
    cameras: [],
    warnings,
    detector,
    mode: 'poll',
    error,
  }
}

/** Resolves to the promise's value, or to `onTimeout()` once ms have passed; never rejects. */
export function withTimeout<T>(
  clock: Clock,
  work: () => Promise<T>,
  ms: number,
  onTimeout: () => T,
  onError: (err: unknown) => T,
): Promise<T> {
  return new Promise<T>((resolve) => {
    let settled = false
    const timer = clock.setTimeout(() => {
      if (settled) return
      settled = true
      resolve(onTimeout())
    }, ms)
    const finish = (value: T) => {
      if (settled) return
      settled = true
      clock.clearTimeout(timer)
      resolve(value)
    }
    let promise: Promise<T>
    try {
      promise = work()
    } catch (err) {
      finish(onError(err))
      return
    }
    promise.then(finish, (err: unknown) => finish(onError(err)))
  })
}

export { errorMessage } from '../files.js'
