// The one owner of a device's session, fed what a detector saw: its events and its history record.
import { describe, expect, it } from 'vitest'
import type { ActivitySession, CameraUser } from '../shared/types.js'
import { DeviceSession } from './device-session.js'

const app = (name: string, pid: number): CameraUser => ({
  pid,
  name,
  exe: `/usr/bin/${name}`,
  evidence: 'open',
})
const zoom = app('zoom', 1)
const spy = app('spycam', 2)

function session(kind: 'camera' | 'microphone' = 'camera') {
  const written: ActivitySession[] = []
  const s = new DeviceSession(kind, {
    recorder: { append: (r) => written.push(r), update: (r) => written.push(r) },
    // spycam is the untrusted one
    classify: (_kind, apps) =>
      apps.some((a) => a.name === 'spycam')
        ? { unexpected: true, reasons: ['untrusted-app'] }
        : { unexpected: false, reasons: [] },
  })
  const last = () => written[written.length - 1]!
  return { s, written, last }
}

describe('DeviceSession', () => {
  it('a flicker that brings a newcomer resumes the session and merges the newcomer into its record', () => {
    const { s, written, last } = session()
    expect(s.observe('on', [zoom], 0)).toMatchObject([
      { type: 'camera-on', kind: 'camera', unexpected: false },
    ])
    expect(s.observe('off', [], 1000)).toMatchObject([{ type: 'camera-off', durationMs: 1000 }])
    expect(s.observe('on', [spy], 2500)).toMatchObject([
      { type: 'camera-on', resumed: true, unexpected: true, reasons: ['untrusted-app'], apps: [spy] },
    ])
    expect(s.current).toMatchObject({ startMs: 0, unexpected: true, reasons: ['untrusted-app'] })
    s.observe('off', [], 4000)
    expect(new Set(written.map((r) => r.id)).size).toBe(1)
    expect(last()).toMatchObject({
      kind: 'camera',
      unexpected: true,
      reasons: ['untrusted-app'],
      durationMs: 4000,
    })
    expect(last().apps).toEqual([zoom, spy])
  })

  it('the same apps coming back are not classified again; after the flicker window it is a new session', () => {
    const { s, written } = session()
    s.observe('on', [spy], 0)
    s.observe('off', [], 1000)
    expect(s.observe('on', [spy], 1500)).toMatchObject([{ resumed: true, unexpected: false }])
    s.observe('off', [], 2000)
    expect(s.observe('on', [spy], 5000)).toMatchObject([{ unexpected: true }])
    expect(new Set(written.map((r) => r.id)).size).toBe(2)
  })

  it('microphone sessions say so in their events and records; unknown keeps the session open', () => {
    const { s, last } = session('microphone')
    expect(s.observe('on', [zoom], 0)).toMatchObject([{ type: 'microphone-on', kind: 'microphone' }])
    expect(s.observe('unknown', [], 500, 'cannot tell')).toEqual([
      { type: 'state-unknown', kind: 'microphone', at: new Date(500).toISOString(), error: 'cannot tell' },
    ])
    expect(s.observe('unknown', [], 600)).toEqual([])
    expect(s.current).not.toBeNull()
    expect(s.observe('off', [], 1000)).toMatchObject([{ type: 'microphone-off', durationMs: 1000 }])
    expect(last()).toMatchObject({ kind: 'microphone', durationMs: 1000 })
  })
})
