// The engine's data (DESIGN.md §2). Field names are a contract: JSON output uses them as they are.

export type Evidence = 'streaming' | 'open' | 'pipewire' | 'os-report'

/** The devices CamGuard watches. */
export type DeviceKind = 'camera' | 'microphone'

export interface CameraUser {
  pid: number | null
  name: string
  exe: string | null
  evidence: Evidence
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

export type AlertReason = 'untrusted-app' | 'no-app' | 'user-away' | 'quiet-hours'

export type MonitorEvent =
  | { type: 'ready'; at: string; snapshot: CameraSnapshot; mode?: DetectionMode }
  | {
      type: 'camera-on'
      at: string
      apps: CameraUser[]
      unexpected: boolean
      reasons: AlertReason[]
      /** True when the camera came back within seconds of going off: the same session goes on. */
      resumed?: boolean
    }
  | { type: 'apps-changed'; at: string; apps: CameraUser[]; unexpected: boolean; reasons: AlertReason[] }
  | { type: 'still-on'; at: string; apps: CameraUser[]; onForMs: number; armed?: boolean }
  | { type: 'camera-off'; at: string; durationMs: number }
  | { type: 'state-unknown'; at: string; error: string }

export type MonitorEventType = MonitorEvent['type']

/** One camera session as kept in activity.jsonl. */
export interface ActivitySession {
  id: string
  start: string
  end: string | null
  durationMs: number | null
  apps: CameraUser[]
  unexpected: boolean
  reasons: AlertReason[]
}
