// The evidence notebook in the app: its store in the data directory, Electron's file dialogs, and
// the report printed to PDF in a window that runs no script.
import { app, dialog } from 'electron'
import { setupEvidence as evidenceHandlers, type EvidenceHandlers } from './evidence.js'
import type { AppContext, AppServices } from './setup-context.js'
import { createPrintWindow } from './setup-windows.js'

export function setupEvidence(ctx: AppContext, { activity }: AppServices): EvidenceHandlers {
  return evidenceHandlers({
    dataDir: ctx.dir,
    app,
    dialog,
    activity,
    createWindow: createPrintWindow,
    log: ctx.log,
  })
}
