import { z } from 'zod'
import { REGIONS, SETTINGS_KEYS, type Settings, type Region } from './settings.js'
import type { ActivitySession, AlertReason, CameraSnapshot, CameraUser } from './types.js'
import type { GuideTopic } from './guide.js'

/** What the window shows on its Status view; pushed by main whenever it changes. */
export interface StatusView {
  snapshot: CameraSnapshot
  /** The apps using the camera now (flattened over cameras). */
  apps: CameraUser[]
  /** When the current session began, or null when the camera is off. */
  since: string | null
  unexpected: boolean
  reasons: AlertReason[]
  pausedUntil: string | null
  snoozedUntil: string | null
  remindAt: string | null
}

export interface StopAppResult {
  ok: boolean
  pid: number
  /** 'terminated' (ended on SIGTERM), 'killed' (needed SIGKILL), 'gone' (already ended), or 'refused'. */
  outcome: 'terminated' | 'killed' | 'gone' | 'refused' | 'failed'
  message: string
}

export type SetSettingResult = { ok: true; settings: Settings } | { ok: false; error: string }

export type View = 'status' | 'guide' | 'activity' | 'settings'
export const VIEWS = ['status', 'guide', 'activity', 'settings'] as const

export interface GuideData {
  topics: GuideTopic[]
  /** The region in effect (settings, or from the system locale when 'auto'). */
  region: Region
}

const minutes = z
  .number()
  .positive()
  .max(24 * 60)
const appName = z.string().trim().min(1).max(256)

/**
 * The one IPC contract: channel name, payload schema (validated in main), and result type.
 * All channels are invoke/handle. Push channels (main -> renderer) are in PUSH.
 */
export const IPC = {
  getStatus: { channel: 'camguard:get-status', payload: z.tuple([]) },
  getSettings: { channel: 'camguard:get-settings', payload: z.tuple([]) },
  setSetting: {
    channel: 'camguard:set-setting',
    payload: z.tuple([z.enum(SETTINGS_KEYS as [string, ...string[]]), z.unknown()]),
  },
  trustApp: { channel: 'camguard:trust-app', payload: z.tuple([appName]) },
  untrustApp: { channel: 'camguard:untrust-app', payload: z.tuple([appName]) },
  stopApp: { channel: 'camguard:stop-app', payload: z.tuple([z.number().int().positive()]) },
  remindIn: { channel: 'camguard:remind-in', payload: z.tuple([minutes]) },
  /** Snooze reminders for N minutes, or until the camera goes off (null). */
  snooze: { channel: 'camguard:snooze', payload: z.tuple([minutes.nullable()]) },
  pauseAlerts: { channel: 'camguard:pause-alerts', payload: z.tuple([minutes]) },
  resumeAlerts: { channel: 'camguard:resume-alerts', payload: z.tuple([]) },
  getActivity: { channel: 'camguard:get-activity', payload: z.tuple([]) },
  clearActivity: { channel: 'camguard:clear-activity', payload: z.tuple([]) },
  exportActivity: { channel: 'camguard:export-activity', payload: z.tuple([z.enum(['csv', 'json'])]) },
  getGuide: { channel: 'camguard:get-guide', payload: z.tuple([z.enum(['auto', ...REGIONS]).optional()]) },
  openExternal: { channel: 'camguard:open-external', payload: z.tuple([z.string().max(2048)]) },
  hideWindow: { channel: 'camguard:hide-window', payload: z.tuple([]) },
} as const

export type IpcName = keyof typeof IPC

/** Result type of each invoke channel. */
export interface IpcResults {
  getStatus: StatusView
  getSettings: Settings
  setSetting: SetSettingResult
  trustApp: Settings
  untrustApp: Settings
  stopApp: StopAppResult
  remindIn: StatusView
  snooze: StatusView
  pauseAlerts: StatusView
  resumeAlerts: StatusView
  getActivity: ActivitySession[]
  clearActivity: number
  exportActivity: { saved: boolean; path: string | null }
  getGuide: GuideData
  openExternal: boolean
  hideWindow: void
}

export type IpcArgs<K extends IpcName> = z.infer<(typeof IPC)[K]['payload']>

/** Main -> renderer messages. */
export const PUSH = {
  status: 'camguard:push-status',
  navigate: 'camguard:push-navigate',
} as const
