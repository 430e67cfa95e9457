// What each IPC call does, built from the services it needs. Each is one or two calls into core or Electron.
import type { Engine, SettingsStore } from '../core/ports.js'
import type { GuideData, IpcResults } from '../shared/ipc.js'
import type { Region } from '../shared/settings.js'
import type { ActivitySession } from '../shared/types.js'
import type { EvidenceHandlers } from './evidence.js'
import type { IpcHandlers } from './ipc.js'
import { openExternalSafely, type OpenExternal } from './security.js'

export interface ActivityService {
  list(): ActivitySession[]
  clear(): number
  /** The sessions as a file's content in the given format. */
  format(sessions: ActivitySession[], format: 'csv' | 'json'): string
}

export interface HandlerDeps {
  engine: Engine
  settings: SettingsStore
  activity: ActivityService
  loadGuide: (region: 'auto' | Region) => Promise<GuideData>
  openExternal: OpenExternal
  /** Asks where to save; null when the user cancelled. */
  chooseSavePath: (defaultName: string) => Promise<string | null>
  writePrivateFile: (path: string, content: string) => void
  hideWindow: () => void
  /** The evidence notebook's channels (see evidence.ts). */
  evidence: EvidenceHandlers
  now?: () => Date
}

export function createIpcHandlers(deps: HandlerDeps): IpcHandlers {
  const now = deps.now ?? (() => new Date())
  return {
    getStatus: () => deps.engine.status(),
    getSettings: () => deps.settings.get(),
    setSetting: (key, value) => deps.settings.set(key as Parameters<SettingsStore['set']>[0], value),
    trustApp: (app) => deps.engine.trustApp(app),
    untrustApp: (name) => deps.engine.untrust(name),
    stopApp: (pid) => deps.engine.stopApp(pid),
    remindIn: (minutes) => deps.engine.remindIn(minutes),
    snooze: (minutes) => deps.engine.snooze(minutes),
    pauseAlerts: (minutes) => deps.engine.pauseAlerts(minutes),
    resumeAlerts: () => deps.engine.resumeAlerts(),
    getActivity: () => deps.activity.list(),
    clearActivity: () => deps.activity.clear(),
    exportActivity: async (format): Promise<IpcResults['exportActivity']> => {
      const day = now().toISOString().slice(0, 10)
      const path = await deps.chooseSavePath(`camguard-activity-${day}.${format}`)
      if (!path) return { saved: false, path: null }
      deps.writePrivateFile(path, deps.activity.format(deps.activity.list(), format))
      return { saved: true, path }
    },
    getGuide: (region) => deps.loadGuide(region ?? deps.settings.get().region),
    openExternal: (url) => openExternalSafely(deps.openExternal, url),
    hideWindow: () => deps.hideWindow(),
    ...deps.evidence,
  }
}
