// What the terminal shows of other programs' names: the formatter's output holds no control or
// bidi character whatever a process calls itself, so a name cannot clear the screen, rewrite a line
// as "Camera off", add lines of its own or reverse the text around it.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ACTING, hostileText } from '../../tests/support/hostile.js'
import type { CameraSnapshot, CameraUser, MonitorEvent } from '../shared/types.js'
import { formatEvent, formatSession, formatSnapshot } from './format.js'

const user = (name: string, exe: string | null = null): CameraUser => ({
  pid: 4242,
  name,
  exe,
  evidence: 'streaming',
})

const snapshot = (u: CameraUser, extra: Partial<CameraSnapshot> = {}): CameraSnapshot => ({
  state: 'on',
  checkedAt: '2026-11-28T12:00:00.000Z',
  cameras: [{ id: 'c', name: 'Integrated Camera', devices: ['/dev/video0'], inUse: true, users: [u] }],
  warnings: [],
  ...extra,
})

const events = (u: CameraUser): MonitorEvent[] => [
  { type: 'ready', at: '2026-11-28T12:00:00.000Z', snapshot: snapshot(u) },
  {
    type: 'camera-on',
    kind: 'camera',
    at: '2026-11-28T12:00:00.000Z',
    apps: [u],
    unexpected: true,
    reasons: ['untrusted-app'],
  },
  {
    type: 'apps-changed',
    kind: 'camera',
    at: '2026-11-28T12:00:00.000Z',
    apps: [u],
    unexpected: false,
    reasons: [],
  },
  { type: 'still-on', kind: 'camera', at: '2026-11-28T12:00:00.000Z', apps: [u], onForMs: 60_000 },
  { type: 'state-unknown', kind: 'camera', at: '2026-11-28T12:00:00.000Z', error: u.name },
]

/** Lines as a terminal would show them: split at newlines, and no other control or bidi character. */
function checkLines(text: string, expectedLines: number): void {
  const lines = text.split('\n')
  expect(lines).toHaveLength(expectedLines)
  for (const l of lines) expect(l).not.toMatch(ACTING)
}

describe('terminal output of hostile names', () => {
  it('an escape sequence in a name is shown written out, not run', () => {
    const name = '\x1b[2J\x1b[1;1HCamera off\rzoom'
    const text = formatEvent(events(user(name))[1]!)
    expect(text).toContain('\\x1b[2J\\x1b[1;1HCamera off\\x0dzoom (pid 4242)')
    checkLines(text, 1)
  })

  it('a newline cannot forge a line, and a right-to-left override cannot reverse the rest', () => {
    const text = formatSnapshot(snapshot(user('spy\nCamera: off', '/tmp/\u202eexe.gpj')))
    checkLines(text, 2)
    expect(text).toContain('spy\\x0aCamera: off')
  })

  it('says the microphone, with its own words, in the same safe lines', () => {
    const u = user('arecord\x1b[2J')
    const text = formatSnapshot({
      ...snapshot(user('zoom')),
      microphone: {
        state: 'on',
        devices: [{ id: 'm', name: 'pcmC0D0c', devices: ['/dev/snd/pcmC0D0c'], inUse: true, users: [u] }],
      },
    })
    expect(text.split('\n')).toEqual([
      'Camera: ON, used by zoom',
      '  Integrated Camera (/dev/video0): zoom (pid 4242), streaming video',
      'Microphone: ON, used by arecord\\x1b[2J',
      '  pcmC0D0c (/dev/snd/pcmC0D0c): arecord\\x1b[2J (pid 4242), recording sound',
    ])
    const unknown = formatSnapshot({
      ...snapshot(user('zoom')),
      microphone: { state: 'unknown', devices: [], error: 'pw-dump failed' },
    })
    expect(unknown).toContain(
      'Microphone: UNKNOWN. CamGuard could not tell whether a microphone is on: pw-dump failed',
    )
  })

  it('says "Microphone" in every event and history line about the microphone', () => {
    const u = user('arecord')
    const at = '2026-11-28T12:00:00.000Z'
    const kind = 'microphone' as const
    const lines = (
      [
        { type: 'microphone-on', kind, at, apps: [u], unexpected: true, reasons: ['user-away'] },
        { type: 'apps-changed', kind, at, apps: [u], unexpected: false, reasons: [] },
        { type: 'still-on', kind, at, apps: [u], onForMs: 16 * 60_000 },
        { type: 'microphone-off', kind, at, durationMs: 120_000 },
        { type: 'state-unknown', kind, at, error: 'pw-dump stopped' },
      ] satisfies MonitorEvent[]
    ).map((e) => formatEvent(e).slice(10))
    expect(lines).toEqual([
      'Microphone ON: arecord (pid 4242), recording sound. UNEXPECTED: you seemed to be away from the computer, or the screen was locked.',
      'Microphone apps changed: arecord (pid 4242), recording sound.',
      'Microphone still on after 16 minutes: arecord.',
      'Microphone off after 2 minutes.',
      'Microphone state UNKNOWN: pw-dump stopped',
    ])
    const ready = formatEvent({
      type: 'ready',
      at,
      snapshot: { ...snapshot(u), state: 'off', microphone: { state: 'on', devices: [] } },
    })
    expect(ready).toContain('the camera is off and the microphone is ON.')
    const session = {
      id: 'x',
      start: at,
      end: at,
      durationMs: 180_000,
      apps: [u],
      unexpected: false,
      reasons: [],
    }
    expect(formatSession({ ...session, kind: 'microphone' })).toMatch(
      / {2}Microphone {2}3 minutes {5}arecord$/,
    )
    // Records written before the microphone was watched have no kind: they are camera sessions.
    expect(formatSession(session)).toMatch(/ {2}Camera {6}3 minutes {5}arecord$/)
  })

  it('for any process name, every formatter writes only its own lines, free of control and bidi characters', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (name, other) => {
        const u = user(name, other)
        checkLines(formatSnapshot(snapshot(u, { warnings: [other] })), 3)
        checkLines(formatSnapshot({ ...snapshot(u), state: 'unknown', cameras: [], error: other }), 1)
        for (const e of events(u)) checkLines(formatEvent(e), 1)
        checkLines(
          formatSession({
            id: 'x',
            start: '2026-11-28T12:00:00.000Z',
            end: null,
            durationMs: null,
            apps: [u],
            unexpected: true,
            reasons: ['untrusted-app'],
          }),
          1,
        )
      }),
    )
  })
})
