// The contract's channel names without its zod schemas: the sandboxed preload is one small CommonJS file and
// validates nothing (main does). The type below makes tsc fail if a name or channel differs from src/shared/ipc.ts.
import type { IPC, IpcName, PUSH } from '../shared/ipc.js'

export const CHANNELS: { readonly [K in IpcName]: (typeof IPC)[K]['channel'] } = {
  getStatus: 'camguard:get-status',
  getSettings: 'camguard:get-settings',
  setSetting: 'camguard:set-setting',
  trustApp: 'camguard:trust-app',
  untrustApp: 'camguard:untrust-app',
  stopApp: 'camguard:stop-app',
  remindIn: 'camguard:remind-in',
  snooze: 'camguard:snooze',
  pauseAlerts: 'camguard:pause-alerts',
  resumeAlerts: 'camguard:resume-alerts',
  getActivity: 'camguard:get-activity',
  clearActivity: 'camguard:clear-activity',
  exportActivity: 'camguard:export-activity',
  getGuide: 'camguard:get-guide',
  openExternal: 'camguard:open-external',
  hideWindow: 'camguard:hide-window',
  listEvidence: 'camguard:list-evidence',
  pickEvidenceFiles: 'camguard:pick-evidence-files',
  addEvidence: 'camguard:add-evidence',
  updateEvidence: 'camguard:update-evidence',
  deleteEvidence: 'camguard:delete-evidence',
  deleteAllEvidence: 'camguard:delete-all-evidence',
  exportEvidence: 'camguard:export-evidence',
}

export const PUSH_CHANNELS: typeof PUSH = {
  status: 'camguard:push-status',
  navigate: 'camguard:push-navigate',
}
