import { describe, expect, it } from 'vitest'
import type { ActivitySession } from '../shared/types.js'
import { formatActivity } from './activity-export.js'

const sessions: ActivitySession[] = [
  {
    id: 'a',
    start: '2026-11-28T10:00:00.000Z',
    end: '2026-11-28T10:01:00.000Z',
    durationMs: 60000,
    apps: [{ pid: 42, name: 'zoom, "the" app', exe: null, evidence: 'streaming' }],
    unexpected: true,
    reasons: ['untrusted-app', 'quiet-hours'],
  },
  {
    id: 'b',
    kind: 'microphone',
    start: '2026-11-28T11:00:00.000Z',
    end: null,
    durationMs: null,
    apps: [{ pid: null, name: '=HYPERLINK("x")', exe: null, evidence: 'os-report' }],
    unexpected: false,
    reasons: [],
  },
]

describe('formatActivity', () => {
  it('writes CSV with a header, quoting, and no formula a spreadsheet would run', () => {
    const lines = formatActivity(sessions, 'csv').trimEnd().split('\r\n')
    expect(lines[0]).toBe('start,end,durationMs,apps,unexpected,reasons,kind')
    // A record without kind was written before the microphone was watched: a camera session.
    expect(lines[1]).toBe(
      '2026-11-28T10:00:00.000Z,2026-11-28T10:01:00.000Z,60000,"zoom, ""the"" app (42)",true,untrusted-app; quiet-hours,camera',
    )
    expect(lines[2]).toBe(`2026-11-28T11:00:00.000Z,,,"'=HYPERLINK(""x"")",false,,microphone`)
  })

  it('writes JSON that reads back to the same sessions', () => {
    expect(JSON.parse(formatActivity(sessions, 'json'))).toEqual(sessions)
  })
})
