// The engine's data (docs/architecture.md, "The engine's data"). Field names are a contract: JSON output uses them as they are.

export type Evidence = 'streaming' | 'open' | 'pipewire' | 'os-report'

/** The devices CamGuard watches. Every event about a device says which one in `kind`. */
export type DeviceKind = 'camera' | 'microphone'

export interface CameraUser {
  pid: number | null
  name: string
  exe: string | null
  evidence: Evidence
  /** macOS: the bundle identifier the system attributes the use to, where it names one. */
  bundleId?: string
  /**
   * Set when this process only passed a stream on (a sound server such as pipewire-pulse): what the
   * app behind it says it is. Its own claim, never checked: not an identity.
   */
  claimed?: { name: string; pid: number | null }
}

export interface Camera {
  id: string
  name: string
  devices: string[]
  inUse: boolean
  users: CameraUser[]
  /** A virtual camera (OBS, Camo): in use says nothing about a real camera; it alerts only if asked. */
  virtual?: boolean
}

export type CameraState = 'on' | 'off' | 'unknown'

/** How the detector learns about changes: inotify events, timed polling, or an OS report. */
export type DetectionMode = 'event' | 'poll'

export interface CameraSnapshot {
  state: CameraState
  checkedAt: string
  cameras: Camera[]
  warnings: string[]
  /** Which detector produced this snapshot, e.g. 'linux-proc', 'win32-consent', 'darwin-coremediaio'. */
  detector?: string
  mode?: DetectionMode
  /** Set when state is 'unknown': why the detector could not tell. */
  error?: string
  /** The microphone, where it is watched: devices shaped like cameras. Unknown is never off. */
  microphone?: { state: CameraState; devices: Camera[]; error?: string }
}

export type AlertReason = 'untrusted-app' | 'impersonation' | 'no-app' | 'user-away' | 'quiet-hours'

export const ALERT_REASONS: readonly AlertReason[] = [
  'untrusted-app',
  'impersonation',
  'no-app',
  'user-away',
  'quiet-hours',
]

export const DEVICE_KINDS: readonly DeviceKind[] = ['camera', 'microphone']

/** A device turning on: `camera-on` or `microphone-on`. */
export interface DeviceOnEvent<K extends DeviceKind = DeviceKind> {
  type: `${K}-on`
  kind: K
  at: string
  apps: CameraUser[]
  unexpected: boolean
  reasons: AlertReason[]
  /** True when the device came back within seconds of going off: the same session goes on. */
  resumed?: boolean
}

/** A device turning off: `camera-off` or `microphone-off`. */
export interface DeviceOffEvent<K extends DeviceKind = DeviceKind> {
  type: `${K}-off`
  kind: K
  at: string
  durationMs: number
}

export type MonitorEvent =
  | { type: 'ready'; at: string; snapshot: CameraSnapshot; mode?: DetectionMode }
  | DeviceOnEvent<'camera'>
  | DeviceOnEvent<'microphone'>
  | {
      type: 'apps-changed'
      kind: DeviceKind
      at: string
      apps: CameraUser[]
      unexpected: boolean
      reasons: AlertReason[]
    }
  | { type: 'still-on'; kind: DeviceKind; at: string; apps: CameraUser[]; onForMs: number; armed?: boolean }
  | DeviceOffEvent<'camera'>
  | DeviceOffEvent<'microphone'>
  | { type: 'state-unknown'; kind: DeviceKind; at: string; error: string }

export type MonitorEventType = MonitorEvent['type']

/** One device session as kept in activity.jsonl (a camera session unless `kind` says otherwise). */
export interface ActivitySession {
  id: string
  /** Missing in records written before the microphone was watched: those are camera sessions. */
  kind?: DeviceKind
  start: string
  end: string | null
  durationMs: number | null
  apps: CameraUser[]
  unexpected: boolean
  reasons: AlertReason[]
}
