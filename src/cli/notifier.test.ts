// The CLI's notifier with node-notifier replaced by a recorder: what is sent on each
// platform, what the user can type on Linux, and how clicks come back. The real notify-send over a
// real D-Bus session is tested in tests/integration/notify.test.ts.
import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { beforeEach, describe, expect, it } from 'vitest'
import { ACTING, hostileText } from '../../tests/support/hostile.js'
import type { Alert } from '../core/ports.js'
import { alertTargets, decideAlert } from '../core/policy.js'
import { runnerOf } from '../shared/trust.js'
import { createCliNotifier as createNotifier, textInstructions, type SendNotification } from './notifier.js'
import { DEFAULT_SETTINGS } from '../shared/settings.js'

type Callback = Parameters<SendNotification>[1]
const sent: { options: Record<string, unknown>; callback: Callback }[] = []
// node-notifier replaced by a recorder of what would be shown.
const createCliNotifier = (options: Omit<Parameters<typeof createNotifier>[0], 'send'>) =>
  createNotifier({
    ...options,
    send: (o, callback) => sent.push({ options: o as Record<string, unknown>, callback }),
  })

// Targets as the policy names them: the apps, none of them trusted.
const alert = (over: Partial<Alert> = {}): Alert => {
  const base = withoutTargets(over)
  return { ...base, targets: over.targets ?? alertTargets(base.apps, [], base.device) }
}

const withoutTargets = (over: Partial<Alert>): Omit<Alert, 'targets'> => ({
  kind: 'unexpected',
  device: 'camera',
  urgency: 'critical',
  title: 'Your camera turned on: spycam',
  body: 'spycam is using your camera.',
  apps: [{ pid: 4242, name: 'spycam', exe: '/usr/bin/spycam', evidence: 'streaming' }],
  reasons: ['untrusted-app'],
  at: '2026-11-28T12:00:00.000Z',
  actions: ['trust', 'stop-app', 'remind-15', 'open-guide'],
  ...over,
})

beforeEach(() => {
  sent.length = 0
})

describe('createCliNotifier on Linux (notify-send)', () => {
  it('sends the urgency and the app name CamGuard, and no buttons', () => {
    createCliNotifier({ platform: 'linux', onError: () => undefined }).notify(alert())
    expect(sent).toHaveLength(1)
    expect(sent[0]!.options).toMatchObject({
      title: 'Your camera turned on: spycam',
      urgency: 'critical',
      'app-name': 'CamGuard',
    })
    expect(sent[0]!.options.actions).toBeUndefined()
    expect(sent[0]!.options.wait).toBeUndefined()
  })

  it('keeps a critical alert on screen until the user dismisses it (expire time 0)', () => {
    createCliNotifier({ platform: 'linux', onError: () => undefined }).notify(alert())
    expect(sent[0]!.options['expire-time']).toBe(0)
  })

  it('sends a still-on reminder with normal urgency, which may time out', () => {
    createCliNotifier({ platform: 'linux', onError: () => undefined }).notify(
      alert({ kind: 'still-on', urgency: 'normal', title: 'Your camera is still on' }),
    )
    expect(sent[0]!.options).toMatchObject({ urgency: 'normal' })
    expect(sent[0]!.options['expire-time']).toBeUndefined()
  })

  it('adds what to type, since there are no buttons', () => {
    createCliNotifier({ platform: 'linux', onError: () => undefined }).notify(alert())
    const message = sent[0]!.options.message as string
    expect(message).toContain('spycam is using your camera.')
    expect(message).toContain('camguard trust /usr/bin/spycam')
    expect(message).toContain('camguard stop 4242')
  })

  it('escapes markup and control characters in the body, so a hostile name shows as it is', () => {
    const name = '<a href="https://x">x</a>\x1b[2J'
    const hostile = decideAlert(
      {
        type: 'camera-on',
        kind: 'camera',
        at: '2026-11-28T12:00:00.000Z',
        apps: [{ pid: 4242, name, exe: '/tmp/<b>/spy', evidence: 'streaming' }],
        unexpected: true,
        reasons: ['untrusted-app'],
      },
      { settings: DEFAULT_SETTINGS, at: new Date(2026, 10, 28, 12, 0), userAway: false, paused: false },
    )!
    createCliNotifier({ platform: 'linux', onError: () => undefined }).notify(hostile)
    const message = sent[0]!.options.message as string
    expect(message).toContain('&lt;a href=&quot;https://x&quot;&gt;x&lt;/a&gt;\\x1b[2J is using your camera.')
    expect(message).not.toMatch(/[<>]/)
    expect(message).not.toContain(String.fromCharCode(0x1b))
    // The instruction survives the markup: the path, quoted for the shell, then escaped for the server.
    expect(message).toContain('Trust it: camguard trust &#39;/tmp/&lt;b&gt;/spy&#39;')
    expect(message).toContain('Stop it: camguard stop 4242')
    // The title is plain text for the server: written out, not escaped as markup.
    expect(sent[0]!.options.title).toBe(`Your camera turned on: <a href="https://x">x</a>\\x1b[2J`)
  })

  it('for any process name, the body holds no markup and no control or bidi character', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (name, exe) => {
        sent.length = 0
        const a = alert({
          apps: [{ pid: 9, name, exe, evidence: 'open' }],
          body: `${name} is using your camera.`,
        })
        createCliNotifier({ platform: 'linux', onError: () => undefined }).notify(a)
        const message = sent[0]!.options.message as string
        expect(message).not.toMatch(/[<>"']/)
        expect(message).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/)
        // Newlines are CamGuard's own: the body, a blank line, trust (when its program can be
        // trusted: not an empty path), stop and help.
        expect(message.split('\n')).toHaveLength(a.targets.trust.length ? 5 : 4)
        for (const l of message.split('\n')) expect(l).not.toMatch(ACTING)
        expect(sent[0]!.options.title).not.toMatch(ACTING)
      }),
      { numRuns: 200 },
    )
  })

  it('tells the user once, not on every alert, when notifications do not work', () => {
    const errors: string[] = []
    const n = createCliNotifier({ platform: 'linux', onError: (m) => errors.push(m) })
    n.notify(alert())
    n.notify(alert())
    for (const s of sent) s.callback(new Error('notify-send must be installed on the system.'), null)
    expect(errors).toEqual([
      'Desktop notifications are not working here: notify-send must be installed on the system.',
    ])
  })
})

describe('createCliNotifier and the shared limit', () => {
  it('sends no more than the limit allows and says once that it held the rest back', () => {
    const errors: string[] = []
    const n = createCliNotifier({ platform: 'linux', onError: (m) => errors.push(m) })
    for (let i = 0; i < 40; i++) n.notify(alert({ kind: 'still-on', urgency: 'normal' }))
    for (let i = 0; i < 40; i++) n.notify(alert())
    expect(sent.map((s) => s.options.urgency)).toEqual([
      'normal',
      'critical',
      'critical',
      'critical',
      'critical',
      'critical',
    ])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/Too many notifications in a minute/)
  })
})

describe('createCliNotifier with buttons (macOS, Windows)', () => {
  it.each(['darwin', 'win32'] as const)(
    'shows the actions as buttons on %s and reports the one chosen',
    (platform) => {
      const chosen: string[] = []
      createCliNotifier({ platform, onError: () => undefined }).notify(alert(), (a) => chosen.push(a))
      expect(sent[0]!.options).toMatchObject({
        actions: ['Trust', 'Stop app', 'Remind me in 15 min', 'Open guide'],
        wait: true,
        message: 'spycam is using your camera.',
      })
      sent[0]!.callback(null, 'activate', { activationType: 'actionClicked', activationValue: 'Stop app' })
      expect(chosen).toEqual(['stop-app'])
    },
  )

  it('reports a click on the notification itself, and nothing when it times out', () => {
    const chosen: string[] = []
    const n = createCliNotifier({ platform: 'darwin', onError: () => undefined })
    n.notify(alert(), (a) => chosen.push(a))
    n.notify(alert(), (a) => chosen.push(a))
    sent[0]!.callback(null, 'activate', { activationType: 'contentsClicked' })
    sent[1]!.callback(null, 'timeout', { activationType: 'timeout' })
    expect(chosen).toEqual(['click'])
  })
})

describe('textInstructions', () => {
  it('offers trust, stop and help for an unexpected app', () => {
    expect(textInstructions(alert()).split('\n')).toEqual([
      'Trust it: camguard trust /usr/bin/spycam',
      'Stop it: camguard stop 4242',
      'Help: camguard guide',
    ])
  })

  it('offers snooze, not trust, in a still-on reminder', () => {
    const lines = textInstructions(alert({ kind: 'still-on' })).split('\n')
    expect(lines).toContain('Snooze: camguard snooze 30')
    expect(lines.some((l) => l.includes('trust'))).toBe(false)
  })

  it('names the untrusted newcomer, not the trusted app beside it, when one joins a session', () => {
    const zoom = { pid: 100, name: 'zoom', exe: '/usr/bin/zoom', evidence: 'streaming' as const }
    const spy = { pid: 200, name: 'spycam', exe: '/usr/bin/spycam', evidence: 'open' as const }
    const decided = decideAlert(
      {
        type: 'apps-changed',
        kind: 'camera',
        at: '2026-11-28T12:00:00.000Z',
        apps: [zoom, spy],
        unexpected: true,
        reasons: ['untrusted-app'],
      },
      {
        settings: { ...DEFAULT_SETTINGS, trustedApps: ['zoom'] },
        at: new Date(2026, 10, 28, 12, 0),
        userAway: false,
        paused: false,
      },
    )!
    const lines = textInstructions(decided).split('\n')
    expect(lines).toContain('Trust it: camguard trust /usr/bin/spycam')
    expect(lines).toContain('Stop it: camguard stop 200')
    expect(decided.apps[0]!.name).toBe('spycam') // what the Trust and Stop buttons act on
  })

  it('for any name or path (none can hold NUL), bash reads the typed trust argument back exactly', () => {
    // An executable path is what "Trust" names; an empty one or an interpreter cannot be trusted.
    const samples = fc
      .sample(
        hostileText.map((t) => t.replace(/\0/g, '')),
        { numRuns: 150, seed: 11 },
      )
      .filter((s) => s !== '' && runnerOf(s) === null)
    // One bash for all samples: each typed command's arguments are printed as bash read them.
    const script = samples
      .map((s) => {
        const typed = textInstructions(alert({ apps: [{ pid: 1, name: 'app', exe: s, evidence: 'open' }] }))
        const command = /^Trust it: camguard (.*)$/m.exec(typed)![1]!
        return `set -- ${command}; printf '%d\\0' $#; printf '%s\\0' "$@"`
      })
      .join('\n')
    const fields = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\0')
    const read: string[][] = []
    for (let i = 0; i < fields.length - 1;) {
      const n = Number(fields[i])
      read.push(fields.slice(i + 1, i + 1 + n))
      i += 1 + n
    }
    expect(read).toEqual(samples.map((s) => (s.startsWith('-') ? ['trust', '--', s] : ['trust', s])))
  })

  it('offers only help when nobody could be named', () => {
    expect(textInstructions(alert({ apps: [] }))).toBe('Help: camguard guide')
  })

  it('quotes a name a shell would misread, so the command can be pasted as it is', () => {
    const odd = alert({ apps: [{ pid: 7, name: 'x', exe: "it's $(evil)", evidence: 'open' }] })
    expect(textInstructions(odd)).toContain(`camguard trust 'it'\\''s $(evil)'`)
    const dash = alert({ apps: [{ pid: 7, name: 'x', exe: '--help', evidence: 'open' }] })
    expect(textInstructions(dash)).toContain(`camguard trust -- --help`)
    const ansi = alert({ apps: [{ pid: 7, name: 'x', exe: 'a\x1bb', evidence: 'open' }] })
    expect(textInstructions(ansi)).toContain(`camguard trust $'a\\x1bb'`)
  })
})
