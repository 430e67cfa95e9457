import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { entriesInRange, type EvidenceEntry } from '../../shared/evidence.js'
import type { ActivitySession } from '../../shared/types.js'
import { DIR_MODE, FILE_MODE, errorCode, errorMessage } from '../files.js'
import { EvidenceInputError, copyWithHash, safeFileName } from './files.js'
import { MANIFEST_FILE, buildManifest, type Manifest } from './manifest.js'
import { buildReport, type ExportedAttachment } from './report.js'
import { sessionsOfDays } from './sessions.js'
import type { EvidenceStore } from './store.js'
import { zipFolder } from './zip.js'

export const REPORT_FILE = 'report.html'
export const ATTACHMENTS_DIR = 'attachments'

export interface ExportOptions {
  /** The folder to make; it must not exist yet, or be empty. */
  out: string
  zip?: boolean
  from?: Date | null
  to?: Date | null
  now: Date
  version: string
  /** The activity log's sessions (camera and microphone). */
  sessions: () => readonly ActivitySession[]
  timeZone?: string
  /**
   * Runs after report.html is written and before the manifest, to add files of its own (the app's PDF);
   * returns their paths inside the folder.
   */
  extra?: (dir: string, reportPath: string) => Promise<string[]>
}

export interface ExportResult {
  dir: string
  zip: string | null
  manifest: Manifest
  entries: number
  attachments: number
  sessions: number
  extra: string[]
  problems: string[]
}

/** Refuses a target that exists and is not an empty folder: an export never overwrites anything. */
export function checkTarget(out: string, zip: boolean): { dir: string; zip: string | null } {
  const dir = resolve(out)
  if (existsSync(dir)) {
    const stat = statSync(dir)
    if (!stat.isDirectory())
      throw new EvidenceInputError(`${dir} already exists and is not a folder; choose a new folder name`)
    if (readdirSync(dir).length > 0)
      throw new EvidenceInputError(
        `${dir} is not empty; export never overwrites, so choose a new folder name`,
      )
  } else if (!existsSync(dirname(dir))) {
    throw new EvidenceInputError(
      `the folder ${dirname(dir)} does not exist; create it first or choose another place`,
    )
  }
  const zipPath = zip ? `${dir}.zip` : null
  if (zipPath && existsSync(zipPath))
    throw new EvidenceInputError(
      `${zipPath} already exists; export never overwrites, so choose a new folder name`,
    )
  return { dir, zip: zipPath }
}

/**
 * Makes the export folder: report.html, the attached files in attachments/, anything `extra` adds, and
 * manifest.json with the SHA-256 of every file; then, if asked, a .zip of the folder beside it. On failure
 * whatever it made is removed again, so no half export is left behind.
 */
export async function exportEvidence(store: EvidenceStore, options: ExportOptions): Promise<ExportResult> {
  const target = checkTarget(options.out, options.zip ?? false)
  const list = store.list()
  const entries = entriesInRange(list.entries, options.from ?? undefined, options.to ?? undefined)
  if (entries.length === 0) {
    throw new EvidenceInputError(
      list.entries.length === 0
        ? 'the evidence notebook is empty; add an entry first ("camguard evidence add --help")'
        : 'no entries fall between those dates; "camguard evidence list" shows them',
    )
  }
  const made = !existsSync(target.dir)
  if (made) mkdirSync(target.dir, { mode: DIR_MODE })
  chmodSync(target.dir, DIR_MODE)
  let zipStarted = false
  try {
    const attachments = await copyAttachments(store, entries, target.dir)
    const sessions = sessionsOfDays(options.sessions(), entries)
    const reportPath = join(target.dir, REPORT_FILE)
    const html = buildReport({
      entries,
      sessions,
      attachments,
      generatedAt: options.now,
      version: options.version,
      from: options.from ?? null,
      to: options.to ?? null,
      damaged: list.damaged.length,
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    })
    writeFileSync(reportPath, html, { mode: FILE_MODE, flag: 'wx' })
    const extra = options.extra ? await options.extra(target.dir, reportPath) : []
    const manifest = await buildManifest(target.dir, {
      createdAt: options.now,
      createdBy: `CamGuard ${options.version}`,
    })
    writeFileSync(join(target.dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n', {
      mode: FILE_MODE,
      flag: 'wx',
    })
    if (target.zip) {
      zipStarted = true
      await zipFolder(target.dir, target.zip, basename(target.dir))
    }
    return {
      dir: target.dir,
      zip: target.zip,
      manifest,
      entries: entries.length,
      attachments: attachments.length,
      sessions: sessions.length,
      extra,
      problems: attachments
        .filter((a) => a.status !== 'ok')
        .map((a) =>
          a.status === 'missing'
            ? `${a.attachment.name} (entry ${a.entryId}) is missing from the notebook`
            : `${a.attachment.name} (entry ${a.entryId}) no longer matches the hash recorded when it was added`,
        ),
    }
  } catch (err) {
    // Leave the place as it was: remove what this export made (the folder was new or empty).
    if (made) rmSync(target.dir, { recursive: true, force: true })
    else
      for (const name of readdirSync(target.dir))
        rmSync(join(target.dir, name), { recursive: true, force: true })
    if (zipStarted && target.zip) rmSync(target.zip, { force: true })
    if (err instanceof EvidenceInputError) throw err
    throw new Error(`the export could not be finished: ${errorMessage(err)}`)
  }
}

async function copyAttachments(
  store: EvidenceStore,
  entries: readonly EvidenceEntry[],
  dir: string,
): Promise<ExportedAttachment[]> {
  const out: ExportedAttachment[] = []
  const files = entries.flatMap((e) => e.attachments.map((a) => ({ entry: e, a })))
  if (files.length === 0) return out
  mkdirSync(join(dir, ATTACHMENTS_DIR), { mode: DIR_MODE })
  for (const { entry, a } of files) {
    const rel = `${ATTACHMENTS_DIR}/${entry.id}-${a.id}-${safeFileName(a.name)}`
    try {
      const { sha256 } = await copyWithHash(store.filePath(entry, a), join(dir, rel))
      out.push({
        entryId: entry.id,
        attachment: a,
        path: rel,
        sha256,
        status: sha256 === a.sha256 ? 'ok' : 'changed',
      })
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err
      out.push({ entryId: entry.id, attachment: a, path: null, sha256: a.sha256, status: 'missing' })
    }
  }
  return out
}
