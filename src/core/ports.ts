// The ports the core is built on: everything that touches time, processes, files or the desktop
// is injected, so the logic runs under plain Node and in tests without waiting.
import type { Settings, SettingsKey } from '../shared/settings.js'
import type { TrustEntry } from '../shared/trust.js'
import type { SetSettingResult, StatusView, StopAppResult } from '../shared/ipc.js'
import type { StopTarget } from './stop-app.js'
import type {
  AlertReason,
  CameraSnapshot,
  CameraUser,
  DetectionMode,
  DeviceKind,
  MonitorEvent,
} from '../shared/types.js'

export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

export interface RunResult {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
  timedOut: boolean
  /** Set when the program could not be started at all (e.g. ENOENT). */
  spawnError?: string
}

/** Runs a program to completion, bounded in time. Never throws. */
export type Runner = (
  file: string,
  args: readonly string[],
  options?: { timeoutMs?: number; maxBuffer?: number },
) => Promise<RunResult>

export interface CameraDetector {
  /** e.g. 'linux-proc', 'win32-consent', 'darwin-coremediaio', 'unsupported' */
  readonly name: string
  /** Never throws: a detector that cannot tell returns state 'unknown' with the reason. */
  snapshot(): Promise<CameraSnapshot>
  /** Ends every process and watch the detector started. */
  close(): Promise<void>
  /**
   * Optional: starts telling the monitor when something may have changed (e.g. inotify on the device
   * nodes), so it checks at once instead of on a short timer. Resolves once the watch stands.
   */
  watch?(onChange: () => void): Promise<DetectorWatch>
  /** Optional: what this detector can see here and why, for `camguard doctor`. */
  diagnose?(): Promise<DetectorDiagnosis>
}

/** The detection mode a detector uses (or would use), and why. */
export interface DetectionModeReason {
  mode: DetectionMode
  why: string
}

/** A detector's account of itself on this machine (`camguard doctor`). */
export interface DetectorDiagnosis {
  /** The native calls it relies on: whether they loaded, and what they are (or why not). */
  native: { ok: boolean; detail: string }
  mode: DetectionMode
  modeWhy: string
  /** What the user's rights let it see, one sentence each. */
  rights: string[]
  /** Problems found while diagnosing, beyond the snapshot's own warnings. */
  warnings?: string[]
}

/** A detector's running watch, as the monitor sees it. */
export interface DetectorWatch {
  /** 'event' while changes are reported; 'poll' when the detector fell back to timed checks. */
  readonly mode: DetectionMode
  /** How long the monitor may wait between timed checks now; null for its own interval. */
  intervalMs(): number | null
  /** Ends the watch and every process it started. */
  stop(): Promise<void>
}

/** Reads and writes the shared settings (conf in the CLI, electron-store in the app). */
export interface SettingsStore {
  get(): Settings
  set<K extends SettingsKey>(key: K, value: unknown): SetSettingResult
  reset(): Settings
  /** Called after the settings changed, whoever changed them (this process or another). */
  onChange(listener: (settings: Settings) => void): () => void
  readonly path: string
}

export type AlertKind = 'unexpected' | 'expected' | 'still-on'

/** What the policy decided to tell the user, ready for any notifier. */
export interface Alert {
  kind: AlertKind
  /** The device the alert is about. */
  device: DeviceKind
  urgency: 'critical' | 'normal'
  title: string
  body: string
  apps: CameraUser[]
  reasons: AlertReason[]
  at: string
  /** What "Stop app" and "Trust" act on: only the apps that are not trusted. */
  targets: AlertTargets
  /** Actions the user can take from the notification, where the platform shows buttons. */
  actions: AlertAction[]
}

/** A process "Stop app" may stop, with what identified it, so the stop can check it is still that one. */
export interface AlertStopTarget extends StopTarget {
  pid: number
  name: string
  exe: string | null
  /** When the process started (Linux: clock ticks after boot, from /proc/PID/stat), where known. */
  startedAt?: string
}

export interface AlertTargets {
  stop: AlertStopTarget[]
  trust: TrustEntry[]
  /** Apps "Trust" cannot add, and why (no executable to name, or an interpreter). */
  refused: { name: string; why: string }[]
}

export type AlertAction = 'trust' | 'stop-app' | 'remind-15' | 'open-guide'

export interface Notifier {
  notify(alert: Alert, onAction?: (action: AlertAction | 'click') => void): void
}

/** The engine the CLI and the app are built on (src/core/engine.ts). */
export interface Engine {
  start(): Promise<void>
  stop(): Promise<void>
  status(): StatusView
  snapshot(): CameraSnapshot | null
  onEvent(listener: (event: MonitorEvent) => void): () => void
  onStatus(listener: (status: StatusView) => void): () => void
  onAlert(listener: (alert: Alert) => void): () => void
  /** Adds these identities to the trusted apps (an identity already there gains the devices). */
  trust(entries: TrustEntry[]): Settings
  /** Trusts the executable of an app using a device now; throws with the reason when it cannot. */
  trustApp(app: { pid: number | null; name: string }): Settings
  /** Removes the entries a name or an executable path stands for. */
  untrust(what: string): Settings
  /** Replaces name-only entries with the executables those names run now (or ran recently). */
  upgradeTrust(): {
    settings: Settings
    upgraded: { from: TrustEntry; to: TrustEntry[] }[]
    left: TrustEntry[]
  }
  /** Stops an app using the camera or microphone now; a pid alone, or pinned by start time and exe. */
  stopApp(target: number | StopTarget): Promise<StopAppResult>
  remindIn(minutes: number): StatusView
  snooze(minutes: number | null): StatusView
  pauseAlerts(minutes: number): StatusView
  resumeAlerts(): StatusView
  /** Whether the user is away or the screen locked, where the platform tells. */
  setUserAway(away: boolean): void
}
