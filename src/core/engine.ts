import type { StatusView, StopAppResult } from '../shared/ipc.js'
import { DEVICE_KINDS, type CameraSnapshot, type DeviceKind, type MonitorEvent } from '../shared/types.js'
import type { ActivityLog } from './activity-log.js'
import { Monitor, appsOf } from './monitor.js'
import { activationReasons, decideAlert } from './policy.js'
import type { Alert, CameraDetector, Clock, Engine, SettingsStore } from './ports.js'
import { systemClock } from './ports.js'
import { processIdentity, stopApp as stopProcess, usersNowFrom, type StopTarget } from './stop-app.js'
import type { Settings } from '../shared/settings.js'
import {
  addTrust,
  entriesNamed,
  resolveTrust,
  trustEntries,
  trustInstead,
  upgradeTrust,
  type SeenApp,
  type TrustEntry,
} from '../shared/trust.js'
import type { CameraUser } from '../shared/types.js'

export interface EngineDeps {
  detector: CameraDetector
  settings: SettingsStore
  activity?: ActivityLog | null
  clock?: Clock
  /** Overrides settings.pollIntervalMs (camguard watch --interval). */
  intervalMs?: number
  stopApp?: (target: StopTarget) => Promise<StopAppResult>
  /** When a process started (Linux: /proc/PID/stat); null where unknown. */
  processStart?: (pid: number) => string | null
}

const MINUTE = 60_000
/** How many of the last history sessions `trust --upgrade` looks in for an app's executable. */
const RECENT_SESSIONS = 50

/**
 * The engine the CLI and the app share: the monitor's events, the alert policy, reminders, and
 * the user's actions, with every outside dependency injected.
 */
export function createEngine(deps: EngineDeps): Engine & { monitor: Monitor } {
  const clock = deps.clock ?? systemClock
  const settings = () => deps.settings.get()
  const eventListeners = new Set<(e: MonitorEvent) => void>()
  const statusListeners = new Set<(s: StatusView) => void>()
  const alertListeners = new Set<(a: Alert) => void>()
  let userAway: boolean | null = null
  let pausedUntil: number | null = null
  let reminderTimer: unknown = null

  const monitor = new Monitor({
    detector: deps.detector,
    clock,
    intervalMs: () => deps.intervalMs ?? settings().pollIntervalMs,
    activity: deps.activity ?? null,
    classify: (kind, apps, at) => {
      const reasons = activationReasons(apps, { settings: settings(), at: new Date(at), userAway, kind })
      return { unexpected: reasons.length > 0, reasons }
    },
  })

  const paused = () => pausedUntil !== null && clock.now() < pausedUntil
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

  function status(): StatusView {
    const snapshot: CameraSnapshot = monitor.snapshot ?? {
      state: 'unknown',
      checkedAt: new Date(clock.now()).toISOString(),
      cameras: [],
      warnings: [],
      error: 'CamGuard is starting',
    }
    const camera = monitor.session('camera')
    const microphone = monitor.session('microphone')
    // Reminders are armed and snoozed for every device that is on: the camera's tell them while it
    // is on, else the microphone's (a reminder asked for while only the microphone records).
    const r = monitor.sessions[!camera && microphone ? 'microphone' : 'camera'].reminders.state
    // A history that cannot be written is told with the camera's state, never instead of it.
    const logProblem = deps.activity?.problem()
    return {
      snapshot: logProblem ? { ...snapshot, warnings: [...snapshot.warnings, logProblem] } : snapshot,
      apps: appsOf(snapshot),
      since: iso(camera?.startMs ?? null),
      unexpected: camera?.unexpected ?? false,
      reasons: camera?.reasons ?? [],
      microphone: microphone
        ? {
            since: new Date(microphone.startMs).toISOString(),
            apps: microphone.apps,
            unexpected: microphone.unexpected,
            reasons: microphone.reasons,
          }
        : null,
      pausedUntil: paused() ? iso(pausedUntil) : null,
      snoozedUntil: r.snoozedUntil === 'off' ? 'until-off' : iso(r.snoozedUntil),
      remindAt: iso(r.armedAt),
    }
  }

  const publishStatus = () => {
    const s = status()
    for (const l of [...statusListeners]) l(s)
  }

  function emit(event: MonitorEvent): void {
    for (const l of [...eventListeners]) l(event)
    const alert = decideAlert(event, {
      settings: settings(),
      at: new Date(clock.now()),
      userAway,
      paused: paused(),
    })
    if (alert) for (const l of [...alertListeners]) l(withStartTimes(alert))
  }

  const reminders = (kind: DeviceKind) => monitor.sessions[kind].reminders

  /** Each process "Stop app" may stop, with when it started, so the stop can tell it is still that one. */
  function withStartTimes(alert: Alert): Alert {
    const started =
      deps.processStart ??
      ((pid: number) => (process.platform === 'linux' ? (processIdentity(pid)?.startedAt ?? null) : null))
    const stop = alert.targets.stop.map((t) => {
      const startedAt = started(t.pid)
      return startedAt === null ? t : { ...t, startedAt }
    })
    return { ...alert, targets: { ...alert.targets, stop } }
  }

  function scheduleReminder(): void {
    if (reminderTimer !== null) clock.clearTimeout(reminderTimer)
    reminderTimer = null
    const dues = DEVICE_KINDS.map((k) => reminders(k).nextDue(settings())).filter(
      (d): d is number => d !== null,
    )
    if (dues.length === 0) return
    reminderTimer = clock.setTimeout(
      () => {
        reminderTimer = null
        const now = clock.now()
        for (const kind of DEVICE_KINDS) {
          const fired = reminders(kind).due(now, settings())
          const session = monitor.session(kind)
          if (fired && session) {
            emit({
              type: 'still-on',
              kind,
              at: new Date(now).toISOString(),
              apps: session.apps,
              onForMs: fired.onForMs,
              ...(fired.armed ? { armed: true } : {}),
            })
          }
        }
        scheduleReminder()
        publishStatus()
      },
      Math.max(0, Math.min(...dues) - clock.now()),
    )
  }

  // The sessions (src/core/device-session.ts) keep the reminders and the classification; the
  // engine only tells the listeners and sets the next reminder.
  monitor.on((event) => {
    emit(event)
    scheduleReminder()
    publishStatus()
  })

  const offLogProblem = deps.activity?.onProblem(() => publishStatus())
  const offSettings = deps.settings.onChange(() => {
    scheduleReminder() // thresholds may have changed
    publishStatus()
  })

  const minutes = (m: number) => m * MINUTE

  function saveTrust(next: TrustEntry[]): Settings {
    const result = deps.settings.set('trustedApps', next)
    if (!result.ok) throw new Error(result.error)
    return result.settings
  }

  /** The apps using each device now. */
  function seenNow(): (SeenApp & { app: CameraUser })[] {
    return DEVICE_KINDS.flatMap((kind) => (monitor.session(kind)?.apps ?? []).map((app) => ({ app, kind })))
  }

  /** The apps of the last sessions in the history. */
  function seenRecently(): SeenApp[] {
    try {
      const { sessions } = deps.activity?.read({ limit: RECENT_SESSIONS }) ?? { sessions: [] }
      return sessions.flatMap((s) => s.apps.map((app) => ({ app, kind: s.kind ?? ('camera' as const) })))
    } catch {
      return []
    }
  }

  return {
    monitor,
    start: () => monitor.start(),
    async stop() {
      offSettings()
      offLogProblem?.()
      if (reminderTimer !== null) clock.clearTimeout(reminderTimer)
      reminderTimer = null
      await monitor.stop()
    },
    status,
    snapshot: () => monitor.snapshot,
    onEvent(l) {
      eventListeners.add(l)
      return () => eventListeners.delete(l)
    },
    onStatus(l) {
      statusListeners.add(l)
      return () => statusListeners.delete(l)
    },
    onAlert(l) {
      alertListeners.add(l)
      return () => alertListeners.delete(l)
    },
    trust(entries) {
      const list = trustEntries(settings().trustedApps)
      const next = entries.reduce(addTrust, list)
      return saveTrust(next)
    },
    trustApp(app) {
      const name = app.name.trim()
      const seen =
        app.pid === null ? [...seenNow(), ...seenRecently()] : seenNow().filter((s) => s.app.pid === app.pid)
      const found = resolveTrust(name, seen)
      if (found.entries.length === 0) {
        throw new Error(
          found.refused[0]?.why ??
            `${name} is not using the camera or the microphone now, so CamGuard cannot see which program it is. Start it and try again`,
        )
      }
      return saveTrust(trustInstead(trustEntries(settings().trustedApps), name, found.entries))
    },
    untrust(what) {
      const list = trustEntries(settings().trustedApps)
      const gone = entriesNamed(list, what)
      if (gone.length === 0) return settings()
      return saveTrust(list.filter((e) => !gone.includes(e)))
    },
    upgradeTrust() {
      const result = upgradeTrust(trustEntries(settings().trustedApps), [...seenNow(), ...seenRecently()])
      const saved = result.upgraded.length ? saveTrust(result.list) : settings()
      return { settings: saved, upgraded: result.upgraded, left: result.left }
    },
    stopApp(target) {
      const t = typeof target === 'number' ? { pid: target } : target
      if (deps.stopApp) return deps.stopApp(t)
      // A fresh check, not the last event's apps: only an app using a device now may be stopped.
      return stopProcess(t, { usersNow: usersNowFrom(deps.detector) })
    },
    remindIn(m) {
      for (const kind of DEVICE_KINDS) reminders(kind).arm(m, clock.now())
      scheduleReminder()
      publishStatus()
      return status()
    },
    snooze(m) {
      for (const kind of DEVICE_KINDS) reminders(kind).snooze(m, clock.now())
      scheduleReminder()
      publishStatus()
      return status()
    },
    pauseAlerts(m) {
      pausedUntil = clock.now() + minutes(m)
      publishStatus()
      return status()
    },
    resumeAlerts() {
      pausedUntil = null
      publishStatus()
      return status()
    },
    setUserAway(away) {
      userAway = away
    },
  }
}
