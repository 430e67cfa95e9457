// Feeds the engine "user away": idle for awayMinutes (polled) or the screen locked (events), where the OS tells.
import type { Clock } from '../core/ports.js'

/** The part of Electron's powerMonitor used here. */
export interface PowerMonitorLike {
  getSystemIdleTime(): number
  on(event: 'lock-screen' | 'unlock-screen' | 'resume', listener: () => void): unknown
  removeListener(event: 'lock-screen' | 'unlock-screen' | 'resume', listener: () => void): unknown
}

export interface AwayDeps {
  powerMonitor: PowerMonitorLike
  clock: Clock
  awayMinutes: () => number
  setUserAway: (away: boolean) => void
  /** How often idle time is read. */
  pollMs?: number
}

export const AWAY_POLL_MS = 30_000

export interface AwayMonitor {
  /** Re-reads idle time now (e.g. after awayMinutes changed). */
  check(): void
  stop(): void
}

export function startAwayMonitor(deps: AwayDeps): AwayMonitor {
  const pollMs = deps.pollMs ?? AWAY_POLL_MS
  let locked = false
  let reported: boolean | null = null
  let timer: unknown = null
  let stopped = false

  const report = (away: boolean): void => {
    if (away === reported) return
    reported = away
    deps.setUserAway(away)
  }
  const check = (): void => {
    if (stopped) return
    let idleSeconds = 0
    try {
      idleSeconds = deps.powerMonitor.getSystemIdleTime()
    } catch {
      // Some Linux sessions (Wayland without the idle protocol) cannot tell; then only locking counts.
    }
    report(locked || idleSeconds >= deps.awayMinutes() * 60)
  }
  const schedule = (): void => {
    timer = deps.clock.setTimeout(() => {
      check()
      if (!stopped) schedule()
    }, pollMs)
  }
  const onLock = (): void => {
    locked = true
    report(true)
  }
  const onUnlock = (): void => {
    locked = false
    check()
  }
  deps.powerMonitor.on('lock-screen', onLock)
  deps.powerMonitor.on('unlock-screen', onUnlock)
  deps.powerMonitor.on('resume', check)
  check()
  schedule()
  return {
    check,
    stop() {
      stopped = true
      if (timer !== null) deps.clock.clearTimeout(timer)
      deps.powerMonitor.removeListener('lock-screen', onLock)
      deps.powerMonitor.removeListener('unlock-screen', onUnlock)
      deps.powerMonitor.removeListener('resume', check)
    },
  }
}
