import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
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

const fresh = () => new ActivityLog(mkdtempSync(join(tmpdir(), 'camguard-log-')))

describe('ActivityLog', () => {
  it('appends, updates in place, and reads sessions back (file private to the user)', () => {
    const log = fresh()
    log.append(session('a', '2026-11-28T10:00:00Z'))
    log.append(session('b', '2026-11-28T11:00:00Z'))
    expect(log.update(session('a', '2026-11-28T10:00:00Z', '2026-11-28T10:05:00Z'))).toBe(true)
    const { sessions, damaged } = log.read()
    expect(damaged).toEqual([])
    expect(sessions.map((s) => [s.id, s.durationMs])).toEqual([
      ['a', 300000],
      ['b', null],
    ])
    expect(readFileSync(log.path, 'utf8').trim().split('\n')).toHaveLength(2)
    expect(statSync(log.path).mode & 0o777).toBe(0o600)
    expect(log.update(session('zzz', '2026-11-28T10:00:00Z'))).toBe(false)
  })

  it('skips a damaged line, reads the rest, and keeps the damaged line through rewrites', () => {
    const log = fresh()
    log.append(session('a', '2026-11-28T10:00:00Z'))
    writeFileSync(
      log.path,
      readFileSync(log.path, 'utf8') + '{"id": "half a line\n' + '["not","a","session"]\n',
      {
        flag: 'w',
      },
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
})
