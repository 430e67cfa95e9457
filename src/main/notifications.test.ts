import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ACTING, hostileText } from '../../tests/support/hostile.js'
import type { NotificationConstructorOptions } from 'electron'
import type { Alert, AlertAction } from '../core/ports.js'
import { createNotifier, notificationOptions, showNotice, type NotificationLike } from './notifications.js'

const alert = (over: Partial<Alert> = {}): Alert => ({
  kind: 'unexpected',
  device: 'camera',
  targets: { stop: [], trust: [], refused: [] },
  urgency: 'critical',
  title: 'Camera turned on unexpectedly',
  body: 'zoom is using your camera. Open CamGuard to stop it.',
  apps: [{ pid: 42, name: 'zoom', exe: null, evidence: 'open' }],
  reasons: ['untrusted-app'],
  at: '2026-01-01T10:00:00.000Z',
  actions: ['trust', 'stop-app', 'remind-15', 'open-guide'],
  ...over,
})

describe('notification options per platform', () => {
  it('makes an unexpected activation critical on Linux, with no buttons', () => {
    const o = notificationOptions(alert(), 'linux', '/icon.png')
    expect(o).toMatchObject({ urgency: 'critical', timeoutType: 'never', icon: '/icon.png' })
    expect(o.actions).toBeUndefined()
    expect(o.title).toBe('Camera turned on unexpectedly')
  })

  it('makes a still-on reminder normal', () => {
    const o = notificationOptions(
      alert({ kind: 'still-on', urgency: 'normal', actions: ['remind-15'] }),
      'linux',
    )
    expect(o.urgency).toBe('normal')
    expect(o.timeoutType).toBeUndefined()
  })

  it.each(['darwin', 'win32'] as const)('shows the four actions as buttons on %s', (platform) => {
    const o = notificationOptions(alert(), platform)
    expect(o.actions).toEqual([
      { type: 'button', text: 'Trust' },
      { type: 'button', text: 'Stop app' },
      { type: 'button', text: 'Remind me in 15 min' },
      { type: 'button', text: 'Open guide' },
    ])
    expect(o.urgency).toBeUndefined()
  })
})

describe("hostile names in the app's notifications", () => {
  const hostile = alert({
    title: 'Your camera turned on: <b>x</b>\u202e',
    body: '<a href="https://x">x</a>\u202e & co is using your camera.',
  })

  it('escapes markup in the body on Linux (servers read it as markup) and writes out bidi overrides', () => {
    const o = notificationOptions(hostile, 'linux')
    expect(o.body).toBe(
      '&lt;a href=&quot;https://x&quot;&gt;x&lt;/a&gt;\\u202e &amp; co is using your camera.',
    )
    expect(o.title).toBe('Your camera turned on: <b>x</b>\\u202e')
  })

  it.each(['darwin', 'win32'] as const)(
    'leaves markup alone on %s (plain text there), still writing out bidi',
    (p) => {
      const o = notificationOptions(hostile, p)
      expect(o.body).toBe('<a href="https://x">x</a>\\u202e & co is using your camera.')
    },
  )

  it('for any name, a Linux body holds no markup and no control or bidi character', () => {
    fc.assert(
      fc.property(hostileText, (name) => {
        const o = notificationOptions(alert({ title: name, body: `${name} is using your camera.` }), 'linux')
        expect(o.body).not.toMatch(/[<>"']/)
        expect(o.body).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/)
        expect(o.body).not.toMatch(ACTING)
        expect(o.title).not.toMatch(ACTING)
      }),
    )
  })

  it('escapes a notice the same way', () => {
    const shown: NotificationConstructorOptions[] = []
    showNotice(
      {
        platform: 'linux',
        isSupported: () => true,
        create: (o) => {
          shown.push(o)
          return { on: () => undefined, show: () => undefined } as unknown as NotificationLike
        },
      },
      'CamGuard',
      'Could not write /home/<b>me</b>/activity.jsonl',
    )
    expect(shown[0]!.body).toBe('Could not write /home/&lt;b&gt;me&lt;/b&gt;/activity.jsonl')
  })
})

describe('notifier', () => {
  function setup(platform: NodeJS.Platform, supported = true) {
    const created: {
      options: NotificationConstructorOptions
      fire: Record<string, (...a: unknown[]) => void>
      shown: boolean
    }[] = []
    const notifier = createNotifier({
      platform,
      isSupported: () => supported,
      create: (options) => {
        const rec = { options, fire: {} as Record<string, (...a: unknown[]) => void>, shown: false }
        created.push(rec)
        const n: NotificationLike = {
          on: ((event: string, fn: (...a: unknown[]) => void) => {
            rec.fire[event] = fn
          }) as NotificationLike['on'],
          show: () => {
            rec.shown = true
          },
        }
        return n
      },
    })
    return { notifier, created }
  }

  it('shows no more than the shared limit allows, however many alerts come', () => {
    const { notifier, created } = setup('linux')
    for (let i = 0; i < 40; i++) notifier.notify(alert())
    for (let i = 0; i < 40; i++) notifier.notify(alert({ kind: 'still-on', urgency: 'normal' }))
    expect(created).toHaveLength(6)
  })

  it('shows the alert and reports a click and each button', () => {
    const { notifier, created } = setup('darwin')
    const got: (AlertAction | 'click')[] = []
    notifier.notify(alert(), (a) => got.push(a))
    expect(created[0]!.shown).toBe(true)
    created[0]!.fire.click!()
    created[0]!.fire.action!({ actionIndex: 1 })
    created[0]!.fire.action!({}, 3) // the older (index argument) form
    expect(got).toEqual(['click', 'stop-app', 'open-guide'])
  })

  it('does nothing where notifications are not supported', () => {
    const { notifier, created } = setup('linux', false)
    notifier.notify(alert())
    expect(created).toHaveLength(0)
  })
})
