import { AxeBuilder } from '@axe-core/playwright'
import { describe, expect, test } from 'vitest'
import type { StatusView } from '../../src/shared/ipc.js'
import type { ActivitySession, Camera, CameraUser } from '../../src/shared/types.js'
import {
  fixtureActivity,
  fixtureConfig,
  fixtureSettings,
  offStatus,
  openApp,
  useBrowser,
  type AppPage,
} from './harness.js'

// The microphone in the window: its own section on the Status view, and the Activity view's
// device filter, in the real renderer bundle in Chromium.

const browser = useBrowser()

const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString()

const recorder: CameraUser = {
  pid: 6060,
  name: 'pw-record',
  exe: '/usr/bin/pw-record',
  evidence: 'pipewire',
}
const capture = (users: CameraUser[]): Camera => ({
  id: 'alsa:pcmC1D0c',
  name: 'USB Microphone',
  devices: ['/dev/snd/pcmC1D0c'],
  inUse: users.length > 0,
  users,
})

/** The camera off, the microphone on (recorded unexpectedly, or as expected). */
function micOnStatus(unexpected: boolean): StatusView {
  const off = offStatus()
  return {
    ...off,
    snapshot: { ...off.snapshot, microphone: { state: 'on', devices: [capture([recorder])] } },
    microphone: {
      since: minutesAgo(9),
      apps: [recorder],
      unexpected,
      reasons: unexpected ? ['untrusted-app', 'quiet-hours'] : [],
    },
  }
}

async function withApp(
  config: Parameters<typeof fixtureConfig>[0],
  fn: (app: AppPage) => Promise<void>,
  hash?: string,
) {
  const app = await openApp(browser(), { config: await fixtureConfig(config), ...(hash ? { hash } : {}) })
  try {
    await fn(app)
    expect(app.problems).toEqual([])
  } finally {
    await app.close()
  }
}

describe('Status view: the microphone', () => {
  test('says the microphone is on unexpectedly, why, on which device, and who records', async () => {
    await withApp({ status: micOnStatus(true) }, async ({ page }) => {
      const section = page.locator('section.microphone')
      await expect
        .poll(() => section.textContent())
        .toContain('Your microphone is on, and this was not expected')
      const text = (await section.textContent()) ?? ''
      expect(text).toContain('On — unexpected')
      expect(text).toContain('An app you have not marked as trusted is using it.')
      expect(text).toContain('The microphone turned on during your quiet hours.')
      expect(text).toMatch(/on for 9 minutes/)
      expect(text).toContain('USB Microphone: in use')
      const card = section.locator('.app-card')
      expect(await card.count()).toBe(1)
      const cardText = (await card.textContent()) ?? ''
      expect(cardText).toContain('pw-record')
      expect(cardText).toContain('number 6060')
      expect(cardText).toContain("It is receiving sound through the system's media service (PipeWire).")
      expect(cardText).toContain('/usr/bin/pw-record')
      // The camera is told apart: it is off.
      expect(await page.locator('.state-card').first().textContent()).toContain('Your camera is off')
      // An unexpected microphone is a reason to offer the guide, as an unexpected camera is.
      await page.getByRole('button', { name: /If it is happening to you/ }).waitFor()
    })
  })

  test('reminders and snooze are offered for the microphone alone, and Stop asks first', async () => {
    await withApp({ status: micOnStatus(false) }, async (app) => {
      const { page } = app
      const section = page.locator('section.microphone')
      await expect.poll(() => section.textContent()).toContain('Your microphone is on, as expected')
      expect(await section.textContent()).toContain('Used by pw-record.')
      await page.getByText('CamGuard can remind you if the microphone is still on.').waitFor()
      await page
        .getByRole('group', { name: 'Remind me if the microphone is still on' })
        .getByRole('button', { name: 'Remind me in 15 min' })
        .click()
      await expect.poll(() => app.calls('remindIn')).toEqual([{ name: 'remindIn', args: [15] }])
      await page
        .getByText('OK. CamGuard will remind you in 15 minutes if the microphone is still on.')
        .waitFor()
      await page.getByRole('button', { name: 'Snooze reminders until the microphone is off' }).click()
      await expect.poll(() => app.calls('snooze')).toEqual([{ name: 'snooze', args: [null] }])

      await section.getByRole('button', { name: 'Stop pw-record…' }).click()
      await section.getByRole('group', { name: /Stop pw-record \(process 6060\)\?/ }).waitFor()
      expect(await app.calls('stopApp')).toEqual([])
      await section.getByRole('button', { name: 'Yes, stop pw-record' }).click()
      await expect.poll(() => app.calls('stopApp')).toEqual([{ name: 'stopApp', args: [6060] }])
    })
  })

  test('Trust is for the microphone: an app trusted for the camera only is offered it, and then shown trusted', async () => {
    const settings = {
      ...fixtureSettings(),
      trustedApps: [{ exe: '/usr/bin/pw-record', name: 'pw-record', kinds: ['camera' as const] }],
    }
    await withApp({ status: micOnStatus(true), settings }, async (app) => {
      const { page } = app
      const section = page.locator('section.microphone')
      await section.getByRole('button', { name: 'Trust pw-record for the microphone' }).click()
      await expect
        .poll(() => app.calls('trustApp'))
        .toEqual([{ name: 'trustApp', args: [{ pid: 6060, name: 'pw-record' }] }])
      await page.getByText('pw-record is now trusted for the microphone.', { exact: false }).waitFor()
      await section.getByText('Trusted for the microphone', { exact: true }).waitFor()
      // Stop is for what should not be there: not offered for a trusted app.
      expect(await section.getByRole('button', { name: /Stop pw-record/ }).count()).toBe(0)
      const stored = await page.evaluate(() => window.__camguardStandIn!.state().settings.trustedApps)
      expect(stored).toEqual([
        { exe: '/usr/bin/pw-record', name: 'pw-record', kinds: ['camera', 'microphone'] },
      ])
    })
  })

  test('off, unknown (with why) and not watched are each said in words; unknown is never off', async () => {
    const off = offStatus()
    const cases: [StatusView, string[]][] = [
      [
        { ...off, snapshot: { ...off.snapshot, microphone: { state: 'off', devices: [capture([])] } } },
        ['Your microphone is off', 'No app is using your microphone.', 'USB Microphone: not in use'],
      ],
      [
        {
          ...off,
          snapshot: {
            ...off.snapshot,
            microphone: { state: 'unknown', devices: [], error: 'pw-dump stopped answering' },
          },
        },
        ['Unknown', 'CamGuard cannot tell if your microphone is on', 'pw-dump stopped answering'],
      ],
      [off, ['Not watched', 'CamGuard is not watching your microphone', 'turned off in Settings']],
    ]
    for (const [status, words] of cases) {
      await withApp({ status }, async ({ page }) => {
        const section = page.locator('section.microphone')
        for (const w of words) await expect.poll(() => section.textContent()).toContain(w)
        const text = (await section.textContent()) ?? ''
        expect(text).not.toContain('Your microphone is on')
        expect(text).not.toContain('On —')
        if (status.snapshot.microphone?.state !== 'off') expect(text).not.toContain('Your microphone is off')
        // Nothing is on: no reminders to offer.
        expect(await page.getByRole('button', { name: /Remind me in/ }).count()).toBe(0)
      })
    }
  })

  test('axe-core finds no violations with the microphone on unexpectedly, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const app = await openApp(browser(), {
        config: await fixtureConfig({ status: micOnStatus(true) }),
        colorScheme,
      })
      try {
        await app.page.locator('section.microphone .app-card').waitFor()
        const result = await new AxeBuilder({ page: app.page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
          .analyze()
        expect(
          result.violations.map((v) => `${colorScheme}: ${v.id} ${v.nodes.map((n) => n.target).join(' ')}`),
        ).toEqual([])
      } finally {
        await app.close()
      }
    }
  }, 120_000)

  test('names from other programs are written out and isolated: device, app, program file, error', async () => {
    const RLO = '\u202e'
    const hostile: CameraUser = {
      pid: 7070,
      name: `${RLO}vaw.exe`,
      exe: `/tmp/${RLO}3pm.sh`,
      evidence: 'open',
    }
    const status = micOnStatus(true)
    status.snapshot.microphone = { state: 'on', devices: [{ ...capture([hostile]), name: `Mic ${RLO}evil` }] }
    status.microphone = { ...status.microphone!, apps: [hostile] }
    await withApp({ status }, async ({ page }) => {
      const section = page.locator('section.microphone')
      await expect.poll(() => section.locator('.app-card h4').textContent()).toBe('\\u202evaw.exe')
      expect(await section.locator('.app-card .path').textContent()).toBe('/tmp/\\u202e3pm.sh')
      expect(await section.textContent()).toContain('Mic \\u202eevil: in use')
      expect(await page.evaluate(() => document.body.textContent!.includes('\u202e'))).toBe(false)
      await section.getByRole('button', { name: 'Trust \\u202evaw.exe for the microphone' }).waitFor()
    })
  })

  test('a new status pushed by main updates the microphone section', async () => {
    await withApp({ status: offStatus() }, async ({ page }) => {
      const section = page.locator('section.microphone')
      await expect.poll(() => section.textContent()).toContain('CamGuard is not watching your microphone')
      const pushed = micOnStatus(true)
      await page.evaluate((s) => window.__camguardStandIn!.pushStatus(s), pushed)
      await expect
        .poll(() => section.textContent())
        .toContain('Your microphone is on, and this was not expected')
    })
  })
})

describe('Activity view: camera and microphone', () => {
  const micSession = (id: string, startMin: number, name: string, reasons: ActivitySession['reasons']) => ({
    id,
    kind: 'microphone' as const,
    start: minutesAgo(startMin),
    end: minutesAgo(startMin - 4),
    durationMs: 4 * 60_000,
    apps: [{ pid: 2000, name, exe: null, evidence: 'pipewire' as const }],
    unexpected: reasons.length > 0,
    reasons,
  })
  // The fixture's five sessions have no kind (written before the microphone was watched): camera.
  const activity = [
    ...fixtureActivity(),
    micSession('m1', 90, 'arecord', ['user-away']),
    micSession('m2', 15, 'teams', []),
  ]

  test('each session says its device; the device filter shows one kind, older records count as camera', async () => {
    await withApp(
      { activity },
      async ({ page }) => {
        const items = page.locator('.sessions > li')
        await expect.poll(() => items.count()).toBe(7)
        const texts = await items.allTextContents()
        expect(texts[0]).toMatch(/^teams.*DeviceMicrophone.*Length4 minutes.*Expected/)
        expect(texts.find((t) => t.startsWith('arecord'))).toMatch(
          /DeviceMicrophone.*Unexpected: you seemed to be away/,
        )
        expect(texts.find((t) => t.startsWith('obs'))).toMatch(/DeviceCamera/)

        const device = page.getByLabel('Device')
        await device.selectOption('microphone')
        await expect.poll(() => items.count()).toBe(2)
        for (const t of await items.allTextContents()) expect(t).toContain('DeviceMicrophone')
        expect(await page.getByText('Showing 2 of 7 sessions.').count()).toBe(1)

        await device.selectOption('camera')
        await expect.poll(() => items.count()).toBe(5)
        for (const t of await items.allTextContents()) expect(t).toContain('DeviceCamera')

        // Filters combine: teams used the camera once and the microphone once.
        await device.selectOption('microphone')
        await page.getByLabel('App').selectOption('teams')
        await expect.poll(() => items.count()).toBe(1)
        expect(await items.first().textContent()).toMatch(/^teams.*DeviceMicrophone/)
        await page.getByLabel('Only unexpected').check()
        await expect.poll(() => items.count()).toBe(0)

        await page.getByLabel('Only unexpected').uncheck()
        await page.getByLabel('App').selectOption('')
        await device.selectOption('')
        await expect.poll(() => items.count()).toBe(7)
      },
      'activity',
    )
  })
})
