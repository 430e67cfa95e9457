import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../tests/support/manual-clock.js'
import type { ActivitySession } from '../shared/types.js'
import { ActivityLog } from './activity-log.js'

const session = (id: string, start: string, end: string | null = null): ActivitySession => ({
  id,
  start,
  end,
  durationMs: end ? Date.parse(end) - Date.parse(start) : null,
  apps: [{ pid: 5, name: 'cheese', exe: '/usr/bin/cheese', evidence: 'streaming' }],
  unexpected: false,
  reasons: [],
})

const freshDir = () => mkdtempSync(join(tmpdir(), 'camguard-log-'))
const fresh = () => new ActivityLog(freshDir())

describe('ActivityLog', () => {
  it('appends: a session is a start line and later an end line; nothing written before changes', () => {
    const log = fresh()
    log.append(session('a', '2026-11-28T10:00:00Z'))
    log.append(session('b', '2026-11-28T11:00:00Z'))
    const before = readFileSync(log.path, 'utf8')
    const inode = statSync(log.path).ino
    log.update(session('a', '2026-11-28T10:00:00Z', '2026-11-28T10:05:00Z'))
    const after = readFileSync(log.path, 'utf8')
    expect(after.startsWith(before)).toBe(true)
    expect(statSync(log.path).ino).toBe(inode)
    expect(after.trim().split('\n')).toHaveLength(3)
    const { sessions, damaged } = log.read()
    expect(damaged).toEqual([])
    // Merged by id, the last line wins, in the order the sessions began.
    expect(sessions.map((s) => [s.id, s.durationMs])).toEqual([
      ['a', 300000],
      ['b', null],
    ])
    expect(statSync(log.path).mode & 0o777).toBe(0o600)
  })

  it('reads a file in the older one-line-per-session form', () => {
    const log = fresh()
    const old = [
      session('x', '2026-11-01T10:00:00Z', '2026-11-01T10:01:00Z'),
      session('y', '2026-11-02T10:00:00Z'),
    ]
    writeFileSync(log.path, old.map((s) => JSON.stringify(s) + '\n').join(''))
    expect(log.read().sessions).toEqual(old)
  })

  it('skips a damaged line, reads the rest, and keeps the damaged line through appends and clear', () => {
    const log = fresh()
    log.append(session('a', '2026-11-28T10:00:00Z'))
    writeFileSync(
      log.path,
      readFileSync(log.path, 'utf8') + '{"id": "half a line\n' + '["not","a","session"]\n',
    )
    log.append(session('b', '2026-11-28T11:00:00Z'))
    const { sessions, damaged } = log.read()
    expect(sessions.map((s) => s.id)).toEqual(['a', 'b'])
    expect(damaged.map((d) => d.line)).toEqual([2, 3])
    log.update(session('b', '2026-11-28T11:00:00Z', '2026-11-28T11:01:00Z'))
    log.clear()
    const text = readFileSync(log.path, 'utf8')
    expect(text).toContain('{"id": "half a line')
    expect(text).toContain('["not","a","session"]')
    expect(log.read().sessions).toEqual([])
  })

  it('starts on a new line after a line cut short (a crash mid-write), so only that line is damaged', () => {
    const log = fresh()
    log.append(session('a', '2026-11-28T10:00:00Z'))
    writeFileSync(log.path, readFileSync(log.path, 'utf8') + '{"id":"cut', { flag: 'w' })
    log.update(session('a', '2026-11-28T10:00:00Z', '2026-11-28T10:01:00Z'))
    const r = log.read()
    expect(r.sessions.map((s) => [s.id, s.end])).toEqual([['a', '2026-11-28T10:01:00Z']])
    expect(r.damaged).toEqual([{ line: 2, text: '{"id":"cut' }])
  })

  it('closes sessions a crashed monitor left open by appending, and compacting rewrites one line each', () => {
    const log = fresh()
    log.append(session('a', '2026-11-28T10:00:00Z'))
    log.update(session('a', '2026-11-28T10:00:00Z', '2026-11-28T10:01:00Z'))
    log.append(session('b', '2026-11-28T11:00:00Z'))
    writeFileSync(log.path, readFileSync(log.path, 'utf8') + 'junk\n')
    const before = readFileSync(log.path, 'utf8')
    expect(log.closeInterrupted()).toBe(1)
    expect(readFileSync(log.path, 'utf8').startsWith(before)).toBe(true)
    const b = log.read().sessions.find((s) => s.id === 'b') as ActivitySession & { interrupted?: boolean }
    expect(b.interrupted).toBe(true)
    expect(log.closeInterrupted()).toBe(0)

    const sessions = log.read().sessions
    expect(log.compact()).toBe(2)
    const lines = readFileSync(log.path, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(3) // two sessions and the damaged line, kept
    expect(lines).toContain('junk')
    expect(log.read().sessions).toEqual(sessions)
  })

  it('filters by --since and --limit', () => {
    const log = fresh()
    log.append(session('old', '2026-11-01T10:00:00Z', '2026-11-01T10:01:00Z'))
    log.append(session('mid', '2026-11-20T10:00:00Z', '2026-11-20T10:01:00Z'))
    log.append(session('new', '2026-11-28T10:00:00Z', '2026-11-28T10:01:00Z'))
    expect(log.read({ since: new Date('2026-11-15T00:00:00Z') }).sessions.map((s) => s.id)).toEqual([
      'mid',
      'new',
    ])
    expect(log.read({ limit: 1 }).sessions.map((s) => s.id)).toEqual(['new'])
  })

  it('reads an absent file as an empty history', () => {
    expect(fresh().read()).toEqual({ sessions: [], damaged: [] })
  })

  it('says clearly when the history cannot be read at all', () => {
    const dir = freshDir()
    mkdirSync(join(dir, 'activity.jsonl'))
    expect(() => new ActivityLog(dir).read()).toThrow(
      /could not read the activity history at .*activity\.jsonl/,
    )
  })
})

describe('ActivityLog when the file cannot be written', () => {
  // A directory in place of activity.jsonl: every write fails (EISDIR), for root too.
  function blocked() {
    const dir = freshDir()
    const path = join(dir, 'activity.jsonl')
    mkdirSync(path)
    const clock = new ManualClock()
    const problems: (string | null)[] = []
    const log = new ActivityLog(dir, { clock, retryMs: 30_000 })
    log.onProblem((p) => problems.push(p))
    return { dir, path, clock, problems, log, unblock: () => rmSync(path, { recursive: true }) }
  }

  it('never throws into the monitor, keeps the session in memory, and says what failed and where, once', () => {
    const { log, path, problems } = blocked()
    expect(() => log.closeInterrupted()).not.toThrow()
    expect(() => log.append(session('a', '2026-11-28T10:00:00Z'))).not.toThrow()
    expect(() => log.update(session('a', '2026-11-28T10:00:00Z', '2026-11-28T10:02:00Z'))).not.toThrow()
    expect(() => log.append(session('b', '2026-11-28T11:00:00Z'))).not.toThrow()
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(path)
    expect(problems[0]).toMatch(/EISDIR/)
    expect(log.problem()).toMatch(/2 sessions are kept in memory/)
    expect(log.pendingSessions().map((s) => [s.id, s.end])).toEqual([
      ['a', '2026-11-28T10:02:00Z'],
      ['b', null],
    ])
  })

  it('writes what it kept, in order, as soon as the file can be written again (retried on the clock)', async () => {
    const { log, path, clock, problems, unblock } = blocked()
    log.append(session('a', '2026-11-28T10:00:00Z'))
    log.update(session('a', '2026-11-28T10:00:00Z', '2026-11-28T10:02:00Z'))
    await clock.advance(30_000)
    expect(log.problem()).not.toBeNull() // still blocked: still kept, not lost
    unblock()
    await clock.advance(30_000)
    expect(log.problem()).toBeNull()
    expect(clock.pending).toBe(0)
    const lines = readFileSync(path, 'utf8').trim().split('\n')
    expect(lines.map((l) => (JSON.parse(l) as ActivitySession).end)).toEqual([null, '2026-11-28T10:02:00Z'])
    expect(log.read().sessions.map((s) => s.id)).toEqual(['a'])
    expect(problems.map((p) => p && 'failed')).toEqual(['failed', null]) // told once, then told it is over
  })

  it('on close, tries once more and says how many records were lost if it still cannot write', () => {
    const { log } = blocked()
    log.append(session('a', '2026-11-28T10:00:00Z'))
    expect(log.close()).toMatch(/1 session could not be written to .*activity\.jsonl and is lost/)
  })
})
