import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  ENTRY_ID,
  byTime,
  evidenceEntrySchema,
  evidenceInputSchema,
  firstIssue,
  type Attachment,
  type EvidenceEntry,
  type EvidenceInputDraft,
  type EvidenceList,
} from '../../shared/evidence.js'
import { DIR_MODE, ensureDir, errorCode, errorMessage, writeFileAtomic } from '../files.js'
import { EvidenceInputError, checkSourceFiles, copyWithHash, safeFileName } from './files.js'

export const EVIDENCE_DIR = 'evidence'
/** The most files one entry may carry. */
export const MAX_ATTACHMENTS = 200

export interface EvidenceStoreOptions {
  now?: () => Date
  /** A new entry id (8 hex digits); random by default. */
  newId?: () => string
}

export interface EntryChanges {
  /** Paths of files to copy in. */
  addFiles?: readonly string[]
  /** Ids of attachments to remove. */
  removeAttachments?: readonly string[]
}

/**
 * The evidence notebook on disk, in `<data dir>/evidence` (0700):
 *   entries/<id>.json   one entry a file (0600), written atomically
 *   files/<id>/a1-name  copies of the attached files (0600), never the originals
 *   damaged/            entry files that could not be read, moved here and kept
 * Nothing here touches the network.
 */
export class EvidenceStore {
  readonly root: string
  private readonly now: () => Date
  private readonly newId: () => string

  constructor(dataDir: string, options: EvidenceStoreOptions = {}) {
    this.root = join(dataDir, EVIDENCE_DIR)
    this.now = options.now ?? (() => new Date())
    this.newId = options.newId ?? (() => randomBytes(4).toString('hex'))
  }

  get entriesDir(): string {
    return join(this.root, 'entries')
  }
  get filesDir(): string {
    return join(this.root, 'files')
  }
  get damagedDir(): string {
    return join(this.root, 'damaged')
  }

  /** Every readable entry, oldest first; an unreadable entry file is moved to damaged/ and reported. */
  list(): EvidenceList {
    const entries: EvidenceEntry[] = []
    const reasons = new Map<string, string>()
    for (const name of listDir(this.entriesDir)) {
      if (!name.endsWith('.json')) continue // a write in progress (*.tmp)
      const path = join(this.entriesDir, name)
      const entry = readEntry(path, name)
      if (entry.ok) entries.push(entry.entry)
      else reasons.set(this.moveAside(path, name, entry.reason) ?? '', entry.reason)
    }
    const damaged = listDir(this.damagedDir).map((name) => {
      const path = join(this.damagedDir, name)
      return { path, reason: reasons.get(path) ?? 'it could not be read' }
    })
    return { entries: entries.sort(byTime), damaged }
  }

  /** The entry with this id, or the only one whose id starts with it. */
  get(idOrPrefix: string): EvidenceEntry {
    const wanted = idOrPrefix.trim().toLowerCase()
    const { entries } = this.list()
    const exact = entries.find((e) => e.id === wanted)
    if (exact) return exact
    const matches = wanted.length >= 2 ? entries.filter((e) => e.id.startsWith(wanted)) : []
    if (matches.length === 1) return matches[0]!
    if (matches.length > 1) {
      throw new EvidenceInputError(
        `"${idOrPrefix}" could be ${matches.map((e) => e.id).join(', ')}; give more of the id`,
      )
    }
    throw new EvidenceInputError(
      `there is no evidence entry "${idOrPrefix}"; "camguard evidence list" shows the ids`,
    )
  }

  /** Where an attachment's copy is kept. */
  filePath(entry: Pick<EvidenceEntry, 'id'>, attachment: Pick<Attachment, 'file'>): string {
    return join(this.filesDir, entry.id, attachment.file)
  }

  /** Adds an entry, copying the files in. Everything is checked first: on any problem nothing is written. */
  async add(input: EvidenceInputDraft, files: readonly string[] = []): Promise<EvidenceEntry> {
    const parsed = parseInput(input)
    const sources = checkSourceFiles(files)
    if (sources.length > MAX_ATTACHMENTS)
      throw new EvidenceInputError(`an entry can hold at most ${MAX_ATTACHMENTS} files`)
    const id = this.freshId()
    const at = this.now().toISOString()
    const copied = await this.copyIn(id, sources, [], at)
    const entry: EvidenceEntry = { id, ...parsed, attachments: copied, createdAt: at, updatedAt: at }
    try {
      this.writeEntry(entry)
    } catch (err) {
      rmSync(join(this.filesDir, id), { recursive: true, force: true })
      throw err
    }
    return entry
  }

  /** Replaces an entry's words, adds files and removes attachments; checked first like add(). */
  async update(
    idOrPrefix: string,
    input: EvidenceInputDraft,
    changes: EntryChanges = {},
  ): Promise<EvidenceEntry> {
    const current = this.get(idOrPrefix)
    const parsed = parseInput(input)
    const remove = new Set(changes.removeAttachments ?? [])
    for (const a of remove) {
      if (!current.attachments.some((x) => x.id === a))
        throw new EvidenceInputError(`entry ${current.id} has no attachment "${a}"`)
    }
    const sources = checkSourceFiles(changes.addFiles ?? [])
    const kept = current.attachments.filter((a) => !remove.has(a.id))
    if (kept.length + sources.length > MAX_ATTACHMENTS)
      throw new EvidenceInputError(`an entry can hold at most ${MAX_ATTACHMENTS} files`)
    const at = this.now().toISOString()
    const added = await this.copyIn(current.id, sources, current.attachments, at)
    const entry: EvidenceEntry = {
      ...current,
      ...parsed,
      attachments: [...kept, ...added],
      updatedAt: at,
    }
    try {
      this.writeEntry(entry)
    } catch (err) {
      for (const a of added) rmSync(this.filePath(entry, a), { force: true })
      throw err
    }
    // Only once the entry no longer names them.
    for (const a of current.attachments.filter((x) => remove.has(x.id)))
      rmSync(this.filePath(entry, a), { force: true })
    return entry
  }

  /** Deletes one entry and its copied files. */
  delete(idOrPrefix: string): EvidenceEntry {
    const entry = this.get(idOrPrefix)
    rmSync(join(this.entriesDir, `${entry.id}.json`), { force: true })
    rmSync(join(this.filesDir, entry.id), { recursive: true, force: true })
    return entry
  }

  /** Deletes every entry, every copied file and every damaged entry kept aside. Cannot be undone. */
  deleteAll(): { entries: number; files: number } {
    const { entries, damaged } = this.list()
    const files = entries.reduce((n, e) => n + e.attachments.length, 0)
    for (const dir of [this.entriesDir, this.filesDir, this.damagedDir])
      rmSync(dir, { recursive: true, force: true })
    return { entries: entries.length + damaged.length, files }
  }

  /** Moves an unreadable entry file to damaged/; returns where it is now (null: another process moved it). */
  private moveAside(path: string, name: string, reason: string): string | null {
    this.ensureFolders()
    const stamp = this.now().toISOString().replace(/[:.]/g, '-')
    const target = join(this.damagedDir, `${name.replace(/\.json$/, '')}.damaged-${stamp}.json`)
    try {
      renameSync(path, target)
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return null
      // Left where it is rather than lost; the person is told.
      throw new Error(`entry ${name} could not be read (${reason}) nor moved aside: ${errorMessage(err)}`)
    }
    return target
  }

  private freshId(): string {
    for (let i = 0; i < 100; i++) {
      const id = this.newId()
      if (!ENTRY_ID.test(id)) throw new Error(`bad entry id ${id}`)
      if (!existsSync(join(this.entriesDir, `${id}.json`)) && !existsSync(join(this.filesDir, id))) return id
    }
    throw new Error('no free entry id')
  }

  private ensureFolders(): void {
    for (const dir of [this.root, this.entriesDir, this.filesDir, this.damagedDir]) {
      ensureDir(dir)
      // A folder made by hand or by an older version may be more open than it should be.
      chmodSync(dir, DIR_MODE)
    }
  }

  /** Copies the files into files/<id>/; on any failure removes what it copied and throws. */
  private async copyIn(
    id: string,
    sources: ReturnType<typeof checkSourceFiles>,
    existing: readonly Attachment[],
    addedAt: string,
  ): Promise<Attachment[]> {
    if (sources.length === 0) return []
    this.ensureFolders()
    const dir = join(this.filesDir, id)
    ensureDir(dir)
    chmodSync(dir, DIR_MODE)
    let next = existing.reduce((n, a) => Math.max(n, Number(a.id.slice(1))), 0) + 1
    const done: Attachment[] = []
    try {
      for (const source of sources) {
        const attId = `a${next++}`
        const file = `${attId}-${safeFileName(source.name)}`
        const { sha256, size } = await copyWithHash(source.path, join(dir, file))
        done.push({
          id: attId,
          name: source.name,
          file,
          size,
          modifiedAt: source.modifiedAt,
          addedAt,
          sha256,
        })
      }
    } catch (err) {
      for (const a of done) rmSync(join(dir, a.file), { force: true })
      if (existing.length === 0) rmSync(dir, { recursive: true, force: true })
      throw new Error(`a file could not be copied into the notebook: ${errorMessage(err)}`)
    }
    return done
  }

  private writeEntry(entry: EvidenceEntry): void {
    this.ensureFolders()
    writeFileAtomic(join(this.entriesDir, `${entry.id}.json`), JSON.stringify(entry, null, 2) + '\n')
  }
}

function parseInput(input: EvidenceInputDraft) {
  const parsed = evidenceInputSchema.safeParse(input)
  if (!parsed.success) throw new EvidenceInputError(firstIssue(parsed.error))
  return parsed.data
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort()
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return []
    throw err
  }
}

function readEntry(
  path: string,
  name: string,
): { ok: true; entry: EvidenceEntry } | { ok: false; reason: string } {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    return { ok: false, reason: err instanceof SyntaxError ? 'not valid JSON' : errorMessage(err) }
  }
  const parsed = evidenceEntrySchema.safeParse(data)
  if (!parsed.success) return { ok: false, reason: firstIssue(parsed.error) }
  if (`${parsed.data.id}.json` !== name) return { ok: false, reason: 'its id does not match its file name' }
  return { ok: true, entry: parsed.data }
}
