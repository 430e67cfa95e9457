// Shared by the detectors: the few OS commands (macOS `log`, `lsappinfo`) run through the injected
// Runner, bounded in time, and any failure becomes a sentence a user can act on instead of a throw.
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

export { errorMessage } from '../files.js'
