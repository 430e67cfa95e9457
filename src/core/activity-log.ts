import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { ALERT_REASONS, type ActivitySession, type AlertReason } from '../shared/types.js'
import { FILE_MODE, ensureDir, errorCode, errorMessage, writeFileAtomic } from './files.js'
import { systemClock, type Clock } from './ports.js'
import { plural } from '../shared/words.js'

export const ACTIVITY_FILE = 'activity.jsonl'

const userSchema = z.object({
  pid: z.number().int().nullable(),
  name: z.string(),
  exe: z.string().nullable(),
  bundleId: z.string().optional(),
  evidence: z.enum(['streaming', 'open', 'pipewire', 'os-report']),
})

const sessionSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(['camera', 'microphone']).optional(),
    start: z.string(),
    end: z.string().nullable(),
    durationMs: z.number().nullable(),
    apps: z.array(userSchema),
    unexpected: z.boolean().default(false),
    reasons: z.array(z.enum(ALERT_REASONS as [AlertReason, ...AlertReason[]])).default([]),
  })
  .passthrough()

export interface ActivityRead {
  sessions: ActivitySession[]
  /** Lines that could not be read; they stay in the file untouched. */
  damaged: { line: number; text: string }[]
}

export interface ActivityLogOptions {
  clock?: Clock
  /** How long to wait before trying a failed write again. */
  retryMs?: number
}

type Line = { text: string; session: ActivitySession | null }

/** How much of the end of the file closeInterrupted reads. */
const TAIL_BYTES = 1 << 20

/**
 * The activity history, appended and never rewritten: a session is written as a line when it
 * starts and again (same id) when it changes or ends; the reader merges the lines by id, the last
 * one winning. Only clear() and compact(), which the user asks for, rewrite the file. A damaged line
 * is skipped when reading and kept when rewriting.
 *
 * Writing never throws into the monitor: a write that fails (disk full, read-only, a folder in the
 * file's place) keeps the records in memory, tries again every retryMs, and tells onProblem
 * listeners once, with what failed and where.
 */
export class ActivityLog {
  readonly path: string
  private readonly clock: Clock
  private readonly retryMs: number
  /** Lines not yet written, in order. */
  private pending: string[] = []
  private failure: string | null = null
  private retryTimer: unknown = null
  private readonly listeners = new Set<(problem: string | null) => void>()

  constructor(dir: string, options: ActivityLogOptions = {}) {
    this.path = join(dir, ACTIVITY_FILE)
    this.clock = options.clock ?? systemClock
    this.retryMs = options.retryMs ?? 30_000
  }

  private lines(): Line[] {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return []
      throw new Error(`could not read the activity history at ${this.path}: ${errorMessage(err)}`)
    }
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => ({ text: l, session: parseLine(l) }))
  }

  read(options: { since?: Date; limit?: number } = {}): ActivityRead {
    const damaged: ActivityRead['damaged'] = []
    const byId = new Map<string, ActivitySession>()
    this.lines().forEach((l, i) => {
      if (l.session) byId.set(l.session.id, l.session)
      else damaged.push({ line: i + 1, text: l.text })
    })
    for (const s of this.pendingSessions()) byId.set(s.id, s)
    // A Map keeps the order of first insertion: sessions in the order they began.
    let sessions = [...byId.values()]
    if (options.since) {
      const since = options.since.getTime()
      sessions = sessions.filter((s) => Date.parse(s.end ?? s.start) >= since || s.end === null)
    }
    if (options.limit !== undefined) sessions = sessions.slice(Math.max(0, sessions.length - options.limit))
    return { sessions, damaged }
  }

  /** Records a new session (usually still open). Never throws. */
  append(session: ActivitySession): void {
    this.write(JSON.stringify(session))
  }

  /** Records a session's new state (apps changed, ended): one more line with the same id. Never throws. */
  update(session: ActivitySession): void {
    this.write(JSON.stringify(session))
  }

  /**
   * Closes sessions a crashed monitor left open, so they do not look like they are still going: one
   * more line each, marked interrupted. Never throws; returns how many it closed.
   */
  closeInterrupted(): number {
    let open: ActivitySession[]
    try {
      open = this.recent().filter((s) => s.end === null && !('interrupted' in s && s.interrupted))
    } catch (err) {
      this.failed(err)
      return 0
    }
    for (const s of open) this.write(JSON.stringify({ ...s, interrupted: true }))
    return open.length
  }

  /**
   * The latest state of the sessions in the file's last TAIL_BYTES: a monitor that stopped can only
   * have left its last sessions open, and a history of years need not be read at every start.
   */
  private recent(): ActivitySession[] {
    let fd: number
    try {
      fd = openSync(this.path, 'r')
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return []
      throw err
    }
    try {
      const size = fstatSync(fd).size
      const start = Math.max(0, size - TAIL_BYTES)
      const buffer = Buffer.alloc(size - start)
      readSync(fd, buffer, 0, buffer.length, start)
      let text = buffer.toString('utf8')
      if (start > 0) text = text.slice(text.indexOf('\n') + 1) // the first line may be cut
      const byId = new Map<string, ActivitySession>()
      for (const line of text.split('\n')) {
        const s = line.trim() ? parseLine(line) : null
        if (s) byId.set(s.id, s)
      }
      return [...byId.values()]
    } finally {
      closeSync(fd)
    }
  }

  /** Removes every readable session (the user asked); damaged lines are kept. Throws when it cannot. */
  clear(): number {
    const lines = this.lines()
    const kept = lines.filter((l) => l.session === null)
    const removed = new Set([
      ...lines.flatMap((l) => (l.session ? [l.session.id] : [])),
      ...this.pendingSessions().map((s) => s.id),
    ]).size
    this.pending = []
    if (kept.length !== lines.length) this.rewrite(kept.map((l) => l.text))
    this.recovered()
    return removed
  }

  /** Rewrites the history one line a session (the user asked); damaged lines are kept. Returns the sessions. */
  compact(): number {
    const lines = this.lines()
    const { sessions } = this.read()
    const damaged = lines.filter((l) => l.session === null).map((l) => l.text)
    this.rewrite([...sessions.map((s) => JSON.stringify(s)), ...damaged])
    this.pending = []
    this.recovered()
    return sessions.length
  }

  /** What is wrong with writing the history now, for status warnings; null when all is written. */
  problem(): string | null {
    if (this.failure === null) return null
    const kept = this.pendingSessions().length
    const memory = kept
      ? `${plural(kept, 'session is', 'sessions are')} kept in memory and written as soon as the file can be written again`
      : 'new sessions are kept in memory until the file can be written again'
    return `CamGuard could not write its activity history to ${this.path} (${this.failure}). It keeps watching; ${memory}.`
  }

  /** Told once per failure (not on every retry) what failed and where; told null once all is written again. */
  onProblem(listener: (problem: string | null) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The sessions kept in memory because they could not be written yet (latest state of each). */
  pendingSessions(): ActivitySession[] {
    const byId = new Map<string, ActivitySession>()
    for (const line of this.pending) {
      const s = parseLine(line)
      if (s) byId.set(s.id, s)
    }
    return [...byId.values()]
  }

  /**
   * Stops retrying after one last try. Returns what the user must be told when records are lost
   * (the file still cannot be written), else null.
   */
  close(): string | null {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.flush()
    const lost = this.pendingSessions().length
    this.pending = []
    if (!lost) return null
    return `${plural(lost, 'session', 'sessions')} could not be written to ${this.path} and ${lost === 1 ? 'is' : 'are'} lost (${this.failure}).`
  }

  private write(line: string): void {
    this.pending.push(line)
    this.flush()
  }

  /** Appends the pending lines in one write; on failure the file is left as it was and they stay pending. */
  private flush(): void {
    if (this.pending.length === 0) return
    let fd: number | null = null
    let size = 0
    try {
      ensureDir(dirname(this.path))
      fd = openSync(this.path, 'a+', FILE_MODE)
      size = fstatSync(fd).size
      // A line cut short (a crash mid-write) must not swallow the next one.
      const last = Buffer.alloc(1)
      const newline = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a ? '\n' : ''
      const data = Buffer.from(newline + this.pending.join('\n') + '\n')
      for (let done = 0; done < data.length;) done += writeSync(fd, data, done)
      this.pending = []
      this.recovered()
    } catch (err) {
      // Half a write (a full disk) would leave a damaged line: put the file back as it was.
      if (fd !== null) {
        try {
          ftruncateSync(fd, size)
        } catch {
          // The part written stays as one damaged line, skipped by the reader.
        }
      }
      this.failed(err)
    } finally {
      if (fd !== null) closeSync(fd)
    }
  }

  private rewrite(lines: string[]): void {
    writeFileAtomic(this.path, lines.map((l) => l + '\n').join(''))
  }

  private failed(err: unknown): void {
    const first = this.failure === null
    this.failure = errorMessage(err)
    if (first) {
      const problem = this.problem()!
      for (const l of [...this.listeners]) l(problem)
    }
    this.scheduleRetry()
  }

  private recovered(): void {
    const was = this.failure
    this.failure = null
    if (was !== null) for (const l of [...this.listeners]) l(null)
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null || this.pending.length === 0) return
    const timer = this.clock.setTimeout(() => {
      this.retryTimer = null
      this.flush()
    }, this.retryMs)
    // A retry alone must not keep a finished process alive.
    ;(timer as { unref?: () => void } | null)?.unref?.()
    this.retryTimer = timer
  }
}

function parseLine(text: string): ActivitySession | null {
  try {
    const parsed = sessionSchema.safeParse(JSON.parse(text))
    return parsed.success ? (parsed.data as ActivitySession) : null
  } catch {
    return null
  }
}
