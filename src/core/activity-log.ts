import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { ActivitySession } from '../shared/types.js'
import { FILE_MODE, ensureDir, errorCode, writeFileAtomic } from './files.js'

export const ACTIVITY_FILE = 'activity.jsonl'

const userSchema = z.object({
  pid: z.number().int().nullable(),
  name: z.string(),
  exe: z.string().nullable(),
  evidence: z.enum(['streaming', 'open', 'pipewire', 'os-report']),
})

const sessionSchema = z
  .object({
    id: z.string().min(1),
    start: z.string(),
    end: z.string().nullable(),
    durationMs: z.number().nullable(),
    apps: z.array(userSchema),
    unexpected: z.boolean().default(false),
    reasons: z.array(z.enum(['untrusted-app', 'no-app', 'user-away', 'quiet-hours'])).default([]),
  })
  .passthrough()

export interface ActivityRead {
  sessions: ActivitySession[]
  /** Lines that could not be read; they stay in the file untouched. */
  damaged: { line: number; text: string }[]
}

type Line = { text: string; session: ActivitySession | null }

/**
 * The activity history: one camera session a line. A session is written when it starts (end null)
 * and rewritten in place when it ends, so a crash loses at most the end time. Damaged lines are
 * skipped when reading and kept verbatim when rewriting.
 */
export class ActivityLog {
  readonly path: string

  constructor(dir: string) {
    this.path = join(dir, ACTIVITY_FILE)
  }

  private lines(): Line[] {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return []
      throw err
    }
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => ({ text: l, session: parseLine(l) }))
  }

  read(options: { since?: Date; limit?: number } = {}): ActivityRead {
    const damaged: ActivityRead['damaged'] = []
    let sessions: ActivitySession[] = []
    this.lines().forEach((l, i) => {
      if (l.session) sessions.push(l.session)
      else damaged.push({ line: i + 1, text: l.text })
    })
    if (options.since) {
      const since = options.since.getTime()
      sessions = sessions.filter((s) => Date.parse(s.end ?? s.start) >= since || s.end === null)
    }
    if (options.limit !== undefined) sessions = sessions.slice(Math.max(0, sessions.length - options.limit))
    return { sessions, damaged }
  }

  /** Appends a new session (usually still open). */
  append(session: ActivitySession): void {
    ensureDir(join(this.path, '..'))
    appendFileSync(this.path, JSON.stringify(session) + '\n', { mode: FILE_MODE })
  }

  /** Replaces the session with the same id; returns false when it is not in the file. */
  update(session: ActivitySession): boolean {
    const lines = this.lines()
    const index = lines.findLastIndex((l) => l.session?.id === session.id)
    if (index < 0) return false
    lines[index] = { text: JSON.stringify(session), session }
    this.writeLines(lines)
    return true
  }

  /** Closes sessions a crashed monitor left open, so they do not look like they are still going. */
  closeInterrupted(): number {
    const lines = this.lines()
    let closed = 0
    for (const l of lines) {
      if (l.session && l.session.end === null) {
        const s = { ...l.session, interrupted: true } as ActivitySession & { interrupted: boolean }
        l.text = JSON.stringify(s)
        l.session = s
        closed++
      }
    }
    if (closed) this.writeLines(lines)
    return closed
  }

  /** Removes every readable session; damaged lines are kept so nothing unreadable is destroyed. */
  clear(): number {
    const lines = this.lines()
    const kept = lines.filter((l) => l.session === null)
    if (kept.length === lines.length) return 0
    this.writeLines(kept)
    return lines.length - kept.length
  }

  private writeLines(lines: Line[]): void {
    writeFileAtomic(this.path, lines.map((l) => l.text + '\n').join(''))
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
