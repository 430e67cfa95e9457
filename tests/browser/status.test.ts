import { describe, expect, test } from 'vitest'
import {
  expectedStatus,
  fixtureConfig,
  offStatus,
  openApp,
  useBrowser,
  showView,
  unexpectedStatus,
  unknownStatus,
  waitForViewReady,
  type AppPage,
} from './harness.js'

const browser = useBrowser()

async function withApp(fn: (app: AppPage) => Promise<void>, options: Parameters<typeof openApp>[1] = {}) {
  const app = await openApp(browser(), options)
  try {
    await fn(app)
    expect(app.problems).toEqual([])
  } finally {
    await app.close()
  }
}

describe('Status view', () => {
  test('says in words that the camera is on unexpectedly, why, and which apps use it', async () => {
    await withApp(async ({ page }) => {
      const card = page.locator('.state-card')
      await expect.poll(() => card.textContent()).toContain('Your camera is on, and this was not expected')
      const text = (await card.textContent()) ?? ''
      expect(text).toContain('On — unexpected')
      expect(text).toContain('An app you have not marked as trusted is using it.')
      expect(text).toContain('away from the computer')
      expect(text).toMatch(/on for 7 minutes/)

      const apps = page.locator('.app-card')
      await expect.poll(() => apps.count()).toBe(2)
      const zoom = apps.filter({ hasText: 'zoom' })
      const zoomText = (await zoom.textContent()) ?? ''
      expect(zoomText).toContain('number 4242')
      expect(zoomText).toContain('It is receiving pictures from the camera.')
      expect(zoomText).toMatch(/Since\d{2}:\d{2} \(7 minutes\)/)
      expect(await apps.filter({ hasText: 'obs' }).textContent()).toContain('It has the camera open.')
      expect(await page.locator('body').textContent()).toContain(
        '3 processes of other users could not be read',
      )
    })
  })

  test('off, on-as-expected and unknown are told in words, not colour alone', async () => {
    const cases = [
      { status: offStatus(), words: ['Off', 'Your camera is off', 'No app is using your camera.'] },
      { status: expectedStatus(), words: ['On — expected', 'Your camera is on, as expected'] },
      {
        status: unknownStatus(),
        words: ['Unknown', 'cannot tell if your camera is on', '/proc could not be read (permission denied)'],
      },
    ]
    for (const c of cases) {
      await withApp(
        async ({ page }) => {
          const card = page.locator('.state-card')
          for (const w of c.words) await expect.poll(() => card.textContent()).toContain(w)
          // No guide nudge unless the camera is on unexpectedly.
          expect(await page.getByRole('button', { name: /If it is happening to you/ }).count()).toBe(0)
        },
        { config: await fixtureConfig({ status: c.status }) },
      )
    }
  })

  test('Trust, Stop (after confirming), reminders, snooze and pause call the api with the right arguments', async () => {
    await withApp(async (app) => {
      const { page } = app
      await page.getByRole('button', { name: 'Trust zoom' }).click()
      // The window names the app using the camera; main trusts the program it runs, not the name.
      await expect
        .poll(() => app.calls('trustApp'))
        .toEqual([{ name: 'trustApp', args: [{ pid: 4242, name: 'zoom' }] }])
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'zoom is now a trusted app' }).count())
        .toBe(1)
      await page.getByText('Trusted app').first().waitFor()

      // Stop asks first; Cancel stops nothing.
      await page.getByRole('button', { name: 'Stop obs…' }).click()
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel')
      await page.getByRole('button', { name: 'Cancel' }).click()
      expect(await app.calls('stopApp')).toEqual([])
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Stop obs…')
      await page.getByRole('button', { name: 'Stop obs…' }).click()
      await page.getByRole('group', { name: 'Stop obs (process 5150)?' }).waitFor()
      await page.getByRole('button', { name: 'Yes, stop obs' }).click()
      await expect.poll(() => app.calls('stopApp')).toEqual([{ name: 'stopApp', args: [5150] }])
      await page.getByRole('status').filter({ hasText: 'obs (process 5150) was stopped.' }).waitFor()
      await expect.poll(() => page.locator('.app-card').count()).toBe(1)

      for (const m of [5, 15, 30]) await page.getByRole('button', { name: `Remind me in ${m} min` }).click()
      await expect
        .poll(() => app.calls('remindIn'))
        .toEqual([5, 15, 30].map((m) => ({ name: 'remindIn', args: [m] })))
      await page.getByText(/will remind you at \d{2}:\d{2} if the camera is still on/).waitFor()

      await page.getByRole('button', { name: 'Snooze reminders until the camera is off' }).click()
      await expect.poll(() => app.calls('snooze')).toEqual([{ name: 'snooze', args: [null] }])
      await page.getByText('Reminders are snoozed until the camera turns off.').first().waitFor()

      await page.getByRole('button', { name: 'Pause alerts for 1 hour' }).click()
      await expect.poll(() => app.calls('pauseAlerts')).toEqual([{ name: 'pauseAlerts', args: [60] }])
      await page.getByText(/Alerts are paused until \d{2}:\d{2}\. CamGuard still watches/).waitFor()
      await page.getByRole('button', { name: 'Resume alerts' }).click()
      await expect.poll(() => app.calls('resumeAlerts')).toHaveLength(1)
      await page.getByRole('button', { name: 'Pause alerts for 1 hour' }).waitFor()
    })
  })

  test('a trusted and an untrusted app together: Trust and Stop are offered for the untrusted one only', async () => {
    const status = unexpectedStatus()
    const settings = {
      ...(await fixtureConfig()).settings,
      trustedApps: [{ exe: '/opt/zoom/zoom', name: 'zoom', kinds: ['camera' as const] }],
    }
    await withApp(
      async (app) => {
        const { page } = app
        const zoom = page.locator('.app-card', { hasText: 'zoom' })
        await zoom.getByText('Trusted app').waitFor()
        expect(await zoom.getByRole('button').count()).toBe(0)
        const obs = page.locator('.app-card', { hasText: 'obs' })
        expect(await obs.getByRole('button').allTextContents()).toEqual(['Trust obs', 'Stop obs…'])
        await page.getByRole('button', { name: 'Stop obs…' }).click()
        await page.getByRole('button', { name: 'Yes, stop obs' }).click()
        await expect.poll(() => app.calls('stopApp')).toEqual([{ name: 'stopApp', args: [5150] }])
      },
      { config: await fixtureConfig({ status, settings }) },
    )
  })

  test('says plainly who pretends to be a trusted app, and offers to upgrade a name-only entry', async () => {
    const status = unexpectedStatus()
    status.apps = [
      { pid: 4242, name: 'zoom', exe: '/tmp/x/zoom', evidence: 'open' },
      { pid: 5150, name: 'obs', exe: '/usr/bin/obs', evidence: 'open' },
    ]
    status.reasons = ['impersonation']
    const settings = {
      ...(await fixtureConfig()).settings,
      trustedApps: [{ exe: '/opt/zoom/zoom', name: 'zoom', kinds: ['camera' as const] }, 'obs'],
    }
    await withApp(
      async (app) => {
        const { page } = app
        const zoom = page.locator('.app-card', { hasText: 'zoom' })
        await expect
          .poll(() => zoom.locator('.impersonation').textContent())
          .toBe('Process 4242 calls itself zoom but runs /tmp/x/zoom, not the trusted /opt/zoom/zoom')
        const obs = page.locator('.app-card', { hasText: 'obs' })
        await obs.getByText('Trusted by name only (weaker)').waitFor()
        await obs.getByRole('button', { name: 'Trust by its program file instead' }).click()
        await expect
          .poll(() => app.calls('trustApp'))
          .toEqual([{ name: 'trustApp', args: [{ pid: 5150, name: 'obs' }] }])
        await obs.getByText('Trusted app').waitFor()
      },
      { config: await fixtureConfig({ status, settings }) },
    )
  })

  test('follows pushed statuses and unsubscribes when the view goes away', async () => {
    await withApp(async (app) => {
      const { page } = app
      await page.evaluate((s) => window.__camguardStandIn!.pushStatus(s), offStatus())
      await expect.poll(() => page.locator('.state-card').textContent()).toContain('Your camera is off')
      expect(await page.evaluate(() => window.__camguardStandIn!.listenerCount().status)).toBe(1)
      await showView(app, 'settings')
      expect(await page.evaluate(() => window.__camguardStandIn!.listenerCount().status)).toBe(0)
      await showView(app, 'status')
      expect(await page.evaluate(() => window.__camguardStandIn!.listenerCount().status)).toBe(1)
      await page.evaluate((s) => window.__camguardStandIn!.pushStatus(s), unexpectedStatus())
      await expect.poll(() => page.locator('.state-card').textContent()).toContain('not expected')
    })
  })

  test('offers the guide gently when the camera is on unexpectedly', async () => {
    await withApp(async (app) => {
      const { page } = app
      await page.getByRole('button', { name: 'Read “If it is happening to you”' }).click()
      await waitForViewReady(page, 'guide')
      await expect
        .poll(() => page.locator('article.topic h2').first().textContent())
        .toBe('If it is happening to you')
      expect(page.url()).toMatch(/#guide\/if-it-happens$/)
    })
  })

  test('main can switch the view (onNavigate), and the hash picks the first view', async () => {
    await withApp(async (app) => {
      const { page } = app
      await page.evaluate(() => window.__camguardStandIn!.navigate('activity'))
      await waitForViewReady(page, 'activity')
      await page.evaluate(() => window.__camguardStandIn!.navigate('status'))
      await waitForViewReady(page, 'status')
    })
    for (const view of ['guide', 'activity', 'settings'] as const) {
      await withApp(
        async ({ page }) => {
          await waitForViewReady(page, view)
          expect(await page.locator('button[aria-current="page"]').textContent()).toBe(
            view[0]!.toUpperCase() + view.slice(1),
          )
        },
        { hash: view },
      )
    }
  })

  test('without the preload’s api the window says so plainly instead of breaking', async () => {
    await withApp(
      async ({ page }) => {
        await page.getByRole('heading', { level: 1, name: 'CamGuard could not start this window' }).waitFor()
        expect(await page.locator('main').textContent()).toContain('open CamGuard again from the tray icon')
      },
      { api: false },
    )
  })
})
