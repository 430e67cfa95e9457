// The window's requests: one handler per channel of the IPC contract (src/shared/ipc.ts), each
// payload and sender checked by registerIpc before the handler runs.
import { join } from 'node:path'
import { app, dialog, ipcMain } from 'electron'
import { formatActivity } from '../core/activity-export.js'
import { writeFileAtomic } from '../core/files.js'
import { loadGuide, resolveRegion, topicsForRegion } from '../core/guide/index.js'
import type { EvidenceHandlers } from './evidence.js'
import { registerIpc } from './ipc.js'
import { createIpcHandlers } from './ipc-handlers.js'
import { isAppPageUrl } from './security.js'
import type { AppContext, AppServices } from './setup-context.js'
import type { WindowController } from './windows.js'

export function setupIpc(
  ctx: AppContext,
  { engine, settings, activity }: AppServices,
  windows: WindowController,
  evidence: EvidenceHandlers,
): void {
  const senderPolicy = { isPackaged: app.isPackaged, devServerUrl: ctx.devServerUrl }
  const guideDir = ctx.resource('guide')
  registerIpc({
    ipcMain,
    isTrustedSender: (url) => isAppPageUrl(url, senderPolicy),
    log: ctx.log,
    handlers: createIpcHandlers({
      engine,
      settings,
      activity: {
        list: () => activity.read().sessions,
        clear: () => activity.clear(),
        format: formatActivity,
      },
      loadGuide: async (setting) => {
        const region = resolveRegion(setting, app.getSystemLocale() || app.getLocale())
        return { topics: topicsForRegion(await loadGuide(guideDir), region), region }
      },
      openExternal: ctx.openExternal,
      chooseSavePath: async (name) => {
        const r = await dialog.showSaveDialog({ defaultPath: join(app.getPath('documents'), name) })
        return r.canceled || !r.filePath ? null : r.filePath
      },
      writePrivateFile: writeFileAtomic,
      hideWindow: () => windows.hide(),
      evidence,
    }),
  })
}
