import { z } from 'zod'
import { REGIONS, SETTINGS_KEYS, type Settings, type Region } from './settings.js'
import type { ActivitySession, AlertReason, CameraSnapshot, CameraUser } from './types.js'
import type { GuideTopic } from './guide.js'
import {
  ENTRY_ID,
  evidenceInputSchema,
  exportRequestSchema,
  type EvidenceEntry,
  type EvidenceList,
  type ExportSummary,
  type PickedFile,
} from './evidence.js'

/** What the window shows on its Status view; pushed by main whenever it changes. */
export interface StatusView {
  snapshot: CameraSnapshot
  /** The apps using the camera now (flattened over cameras). */
  apps: CameraUser[]
  /** When the current session began, or null when the camera is off. */
  since: string | null
  unexpected: boolean
  reasons: AlertReason[]
  /** The microphone's session, or null when it is off or not watched (its state is in snapshot.microphone). */
  microphone?: { since: string; apps: CameraUser[]; unexpected: boolean; reasons: AlertReason[] } | null
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

/** io: the value was fine but could not be saved (the disk, the file), not the user's mistake. */
export type SetSettingResult = { ok: true; settings: Settings } | { ok: false; error: string; io?: true }

export type View = 'status' | 'guide' | 'activity' | 'evidence' | 'settings'
export const VIEWS = ['status', 'guide', 'activity', 'evidence', 'settings'] as const

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
const entryId = z.string().regex(ENTRY_ID)
/** Tokens main handed out for files chosen in its own dialog (the window never names a path). */
const fileTokens = z.array(z.string().regex(/^[0-9a-f]{32}$/)).max(200)

export type EvidenceChange = { ok: true; entry: EvidenceEntry } | { ok: false; error: string }
/** summary is null when the person cancelled the folder dialog. */
export type EvidenceExportResult = { ok: true; summary: ExportSummary | null } | { ok: false; error: string }

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
  /** Trusts the executable of an app using a device now (by pid), or of the apps by that name (pid null). */
  trustApp: {
    channel: 'camguard:trust-app',
    payload: z.tuple([z.object({ pid: z.number().int().positive().nullable(), name: appName }).strict()]),
  },
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
  listEvidence: { channel: 'camguard:list-evidence', payload: z.tuple([]) },
  /** Opens main's file dialog; returns a token for each chosen file. */
  pickEvidenceFiles: { channel: 'camguard:pick-evidence-files', payload: z.tuple([]) },
  addEvidence: { channel: 'camguard:add-evidence', payload: z.tuple([evidenceInputSchema, fileTokens]) },
  /** id, the new words, tokens of files to add, ids of attachments to remove. */
  updateEvidence: {
    channel: 'camguard:update-evidence',
    payload: z.tuple([
      entryId,
      evidenceInputSchema,
      fileTokens,
      z.array(z.string().regex(/^a\d{1,4}$/)).max(200),
    ]),
  },
  deleteEvidence: { channel: 'camguard:delete-evidence', payload: z.tuple([entryId]) },
  /** The literal guards against a stray call: the window asks twice before sending it. */
  deleteAllEvidence: {
    channel: 'camguard:delete-all-evidence',
    payload: z.tuple([z.literal('delete all evidence')]),
  },
  /** Asks main for a folder name, then exports there. */
  exportEvidence: { channel: 'camguard:export-evidence', payload: z.tuple([exportRequestSchema]) },
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
  listEvidence: EvidenceList
  pickEvidenceFiles: PickedFile[]
  addEvidence: EvidenceChange
  updateEvidence: EvidenceChange
  deleteEvidence: EvidenceChange
  deleteAllEvidence: { entries: number; files: number }
  exportEvidence: EvidenceExportResult
}

export type IpcArgs<K extends IpcName> = z.infer<(typeof IPC)[K]['payload']>

/** Main -> renderer messages. */
export const PUSH = {
  status: 'camguard:push-status',
  navigate: 'camguard:push-navigate',
} as const
