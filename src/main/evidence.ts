// The evidence notebook's main-process side: the IPC handlers, the file picker and the PDF of the report.
// The window never reads a file: it gets a token for each file the person chose in main's own dialog, and
// main copies only files it was given that way.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { App, BrowserWindowConstructorOptions, Dialog } from 'electron'
import {
  EvidenceInputError,
  EvidenceStore,
  checkSourceFiles,
  exportEvidence,
} from '../core/evidence/index.js'
import { FILE_MODE, errorMessage } from '../core/files.js'
import { parseDayBound, type EvidenceInput, type PickedFile } from '../shared/evidence.js'
import type { EvidenceChange, EvidenceExportResult } from '../shared/ipc.js'
import type { ActivitySession } from '../shared/types.js'
import type { IpcHandlers } from './ipc.js'

export const PDF_FILE = 'report.pdf'
/** How many chosen-but-not-yet-saved files main remembers; older ones are forgotten first. */
const MAX_PICKED = 500

export type EvidenceHandlers = Pick<
  IpcHandlers,
  | 'listEvidence'
  | 'pickEvidenceFiles'
  | 'addEvidence'
  | 'updateEvidence'
  | 'deleteEvidence'
  | 'deleteAllEvidence'
  | 'exportEvidence'
>

export interface EvidenceDeps {
  dataDir: string
  version: string
  /** The activity log's sessions, for the report. */
  sessions: () => readonly ActivitySession[]
  /** main's open-file dialog; the chosen paths, or [] when cancelled. */
  chooseFiles: () => Promise<string[]>
  /** main's save dialog, for the name of the export folder; null when cancelled. */
  chooseExportFolder: (defaultName: string) => Promise<string | null>
  /** Prints an HTML file to PDF (see createPdfPrinter). */
  printToPdf: (htmlPath: string) => Promise<Buffer>
  now?: () => Date
  newToken?: () => string
  log?: (message: string) => void
}

const failed = (err: unknown): { ok: false; error: string } => ({ ok: false, error: errorMessage(err) })

/** What setupEvidence takes from Electron and the app. */
export interface EvidenceSetup {
  dataDir: string
  app: Pick<App, 'getVersion' | 'getPath'>
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>
  createWindow: (options: BrowserWindowConstructorOptions) => PrintWindow
  activity: { read(): { sessions: ActivitySession[] } }
  log: (message: string) => void
}

/** The evidence notebook for the app: its IPC handlers, with Electron's dialogs and print to PDF. */
export function setupEvidence(e: EvidenceSetup): EvidenceHandlers {
  return createEvidenceHandlers({
    dataDir: e.dataDir,
    version: e.app.getVersion(),
    sessions: () => e.activity.read().sessions,
    chooseFiles: async () =>
      (await e.dialog.showOpenDialog({ title: 'Attach files', properties: ['openFile', 'multiSelections'] }))
        .filePaths,
    chooseExportFolder: async (name) => {
      const r = await e.dialog.showSaveDialog({
        title: 'Name the folder for the evidence report',
        defaultPath: join(e.app.getPath('documents'), name),
        buttonLabel: 'Export',
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      })
      return r.canceled || !r.filePath ? null : r.filePath
    },
    printToPdf: createPdfPrinter(e.createWindow),
    log: e.log,
  })
}

/** The evidence channels of the IPC contract. Input problems come back as { ok: false, error }. */
export function createEvidenceHandlers(deps: EvidenceDeps): EvidenceHandlers {
  const now = deps.now ?? (() => new Date())
  const newToken = deps.newToken ?? (() => randomBytes(16).toString('hex'))
  const store = new EvidenceStore(deps.dataDir, { now })
  const picked = new Map<string, string>()

  const pathsFor = (tokens: readonly string[]): string[] =>
    tokens.map((t) => {
      const path = picked.get(t)
      if (!path) throw new EvidenceInputError('a chosen file is no longer available; choose it again')
      return path
    })
  const forget = (tokens: readonly string[]): void => tokens.forEach((t) => picked.delete(t))

  return {
    listEvidence: () => store.list(),

    pickEvidenceFiles: async (): Promise<PickedFile[]> => {
      const paths = await deps.chooseFiles()
      const files: PickedFile[] = []
      for (const source of checkSourceFiles(paths)) {
        const token = newToken()
        picked.set(token, source.path)
        files.push({ token, name: source.name, size: source.size })
      }
      // Forget the oldest choices first; a Map keeps insertion order.
      for (const old of picked.keys()) {
        if (picked.size <= MAX_PICKED) break
        picked.delete(old)
      }
      return files
    },

    addEvidence: async (input: EvidenceInput, tokens: string[]): Promise<EvidenceChange> => {
      try {
        const entry = await store.add(input, pathsFor(tokens))
        forget(tokens)
        return { ok: true, entry }
      } catch (err) {
        return failed(err)
      }
    },

    updateEvidence: async (id, input, tokens, remove): Promise<EvidenceChange> => {
      try {
        const entry = await store.update(id, input, { addFiles: pathsFor(tokens), removeAttachments: remove })
        forget(tokens)
        return { ok: true, entry }
      } catch (err) {
        return failed(err)
      }
    },

    deleteEvidence: (id): EvidenceChange => {
      try {
        return { ok: true, entry: store.delete(id) }
      } catch (err) {
        return failed(err)
      }
    },

    deleteAllEvidence: () => store.deleteAll(),

    exportEvidence: async (request): Promise<EvidenceExportResult> => {
      const from = request.from ? parseDayBound(request.from, 'start') : null
      const to = request.to ? parseDayBound(request.to, 'end') : null
      if (from && !from.ok) return { ok: false, error: from.error }
      if (to && !to.ok) return { ok: false, error: to.error }
      const stamp = now().toISOString().slice(0, 16).replace(/[T:]/g, '-')
      const out = await deps.chooseExportFolder(`camguard-evidence-${stamp}`)
      if (!out) return { ok: true, summary: null }
      try {
        const result = await exportEvidence(store, {
          out,
          zip: request.zip,
          from: from?.value ?? null,
          to: to?.value ?? null,
          now: now(),
          version: deps.version,
          sessions: deps.sessions,
          ...(request.pdf
            ? {
                extra: async (dir: string, reportPath: string) => {
                  const pdf = await deps.printToPdf(reportPath)
                  writeFileSync(join(dir, PDF_FILE), pdf, { mode: FILE_MODE, flag: 'wx' })
                  return [PDF_FILE]
                },
              }
            : {}),
        })
        return {
          ok: true,
          summary: {
            dir: result.dir,
            zip: result.zip,
            pdf: request.pdf ? join(result.dir, PDF_FILE) : null,
            entries: result.entries,
            attachments: result.attachments,
            sessions: result.sessions,
            problems: result.problems,
          },
        }
      } catch (err) {
        deps.log?.(`evidence export failed: ${errorMessage(err)}`)
        return failed(err)
      }
    },
  }
}

/** What the PDF printer needs of a BrowserWindow. */
export interface PrintWindow {
  loadFile(path: string): Promise<void>
  webContents: {
    printToPDF(options: {
      printBackground: boolean
      pageSize: 'A4'
      preferCSSPageSize: boolean
      generateDocumentOutline?: boolean
    }): Promise<Buffer>
  }
  destroy(): void
}

/**
 * The report in a hidden window of its own, then Chromium's print to PDF. The window runs no script (the
 * report has none, and JavaScript is off) and has no preload; the app's session denies every permission.
 */
export const PRINT_WINDOW_OPTIONS: BrowserWindowConstructorOptions = {
  show: false,
  width: 900,
  height: 1200,
  webPreferences: {
    javascript: false,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    webSecurity: true,
    images: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: false,
  },
}

export function createPdfPrinter(
  createWindow: (options: BrowserWindowConstructorOptions) => PrintWindow,
): (htmlPath: string) => Promise<Buffer> {
  return async (htmlPath) => {
    const win = createWindow(PRINT_WINDOW_OPTIONS)
    try {
      await win.loadFile(htmlPath)
      return await win.webContents.printToPDF({
        printBackground: true,
        pageSize: 'A4',
        preferCSSPageSize: true,
        generateDocumentOutline: true,
      })
    } finally {
      win.destroy()
    }
  }
}
