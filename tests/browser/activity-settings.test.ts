import { describe, expect, test } from 'vitest'
import { fixtureConfig, openApp, useBrowser, type AppPage } from './harness.js'
import type { StandInConfig } from './stand-in-api.js'

const browser = useBrowser()

async function withView(
  hash: 'activity' | 'settings',
  fn: (app: AppPage) => Promise<void>,
  config?: StandInConfig,
) {
  const app = await openApp(browser(), { hash, ...(config ? { config } : {}) })
  try {
    await app.page
      .locator(hash === 'activity' ? '.filters select:not([disabled])' : 'form.setting')
      .first()
      .waitFor()
    await fn(app)
    expect(app.problems).toEqual([])
  } finally {
    await app.close()
  }
}

describe('Activity view', () => {
  test('lists sessions newest first with app, start, length and whether it was expected', async () => {
    await withView('activity', async ({ page }) => {
      const items = page.locator('.sessions > li')
      await expect.poll(() => items.count()).toBe(5)
      const texts = await items.allTextContents()
      expect(texts[0]).toMatch(
        /^obs.*Started.*Length6 minutes.*Unexpected: not a trusted app, you seemed to be away/,
      )
      expect(texts[1]).toMatch(/^firefox.*Length12 minutes.*Expected/)
      expect(texts[2]).toMatch(
        /^An app that could not be named.*Length1 minute.*Unexpected: no app could be named, during quiet hours/,
      )
      expect(texts[4]).toMatch(/^teams.*45 minutes.*Expected/)
      expect(await page.getByRole('status').first().textContent()).toBe('Showing 5 of 5 sessions.')
    })
  })

  test('filters by app and by unexpected only', async () => {
    await withView('activity', async ({ page }) => {
      const items = page.locator('.sessions > li')
      await page.getByLabel('App').selectOption('zoom')
      await expect.poll(() => items.count()).toBe(1)
      expect(await items.first().textContent()).toMatch(/^zoom/)
      await page.getByLabel('App').selectOption('')
      await page.getByLabel('Only unexpected').check()
      await expect.poll(() => items.count()).toBe(3)
      for (const t of await items.allTextContents()) expect(t).toContain('Unexpected')
      await page.getByLabel('App').selectOption('firefox')
      await expect.poll(() => items.count()).toBe(0)
      expect(await page.getByText('Showing 0 of 5 sessions.').count()).toBe(1)
    })
  })

  test('exports to CSV and JSON and says where the file was saved', async () => {
    await withView('activity', async (app) => {
      const { page } = app
      await page.getByRole('button', { name: 'Export as CSV' }).click()
      await page.getByText('Saved as CSV to /home/sam/Documents/camguard-activity.csv.').waitFor()
      await page.getByRole('button', { name: 'Export as JSON' }).click()
      await page.getByText('Saved as JSON to /home/sam/Documents/camguard-activity.json.').waitFor()
      expect(await app.calls('exportActivity')).toEqual([
        { name: 'exportActivity', args: ['csv'] },
        { name: 'exportActivity', args: ['json'] },
      ])
    })
  })

  test('clears history only after a confirmation step', async () => {
    await withView('activity', async (app) => {
      const { page } = app
      await page.getByRole('button', { name: 'Clear history…' }).click()
      await page.getByRole('group', { name: 'Delete all camera and microphone history?' }).waitFor()
      await page.getByRole('button', { name: 'Cancel' }).click()
      expect(await app.calls('clearActivity')).toEqual([])
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Clear history…')

      await page.getByRole('button', { name: 'Clear history…' }).click()
      await page.getByRole('button', { name: 'Yes, clear history' }).click()
      await expect.poll(() => app.calls('clearActivity')).toHaveLength(1)
      await page.getByText('History cleared: 5 sessions were deleted.').waitFor()
      await page.getByText('No camera or microphone use has been recorded yet.').waitFor()
      expect(await page.locator('.sessions > li').count()).toBe(0)
    })
  })
})

describe('Settings view', () => {
  test('shows every setting with its current value', async () => {
    await withView('settings', async ({ page }) => {
      expect(await page.locator('.trusted-list li').allTextContents()).toEqual([
        'firefox by name only (weaker)Upgrade firefox to its program fileRemove firefox from trusted apps',
        'teams by name only (weaker)Upgrade teams to its program fileRemove teams from trusted apps',
      ])
      expect(
        await page.getByLabel('Only when the camera or microphone turns on unexpectedly').isChecked(),
      ).toBe(true)
      expect(
        await page.getByLabel('Remind me when the camera or microphone has been on for').inputValue(),
      ).toBe('15')
      expect(await page.getByLabel('Then remind me again every').inputValue()).toBe('15')
      expect(await page.getByLabel('Count me as away after').inputValue()).toBe('5')
      expect(await page.getByLabel('Quiet hours').isChecked()).toBe(false)
      expect(await page.getByLabel('Where you are').inputValue()).toBe('auto')
      expect(await page.getByLabel('Start CamGuard when I log in').isChecked()).toBe(true)
      expect(await page.getByLabel(/Alert for virtual cameras and microphones/).isChecked()).toBe(false)
      expect(await page.getByLabel('Check the camera and microphone every').inputValue()).toBe('1000')
      expect(await page.getByLabel('Camera devices to watch').inputValue()).toBe('/dev/video*')
    })
  })

  test('refuses an invalid number in place, with accessible error text, and saves a valid one', async () => {
    await withView('settings', async (app) => {
      const { page } = app
      const input = page.getByLabel('Remind me when the camera or microphone has been on for')
      await input.fill('-3')
      await input.press('Enter')
      const error = page.locator('.field-error')
      await expect.poll(() => error.count()).toBe(1)
      expect(await error.textContent()).toContain(
        'The first "still on" reminder must be a whole number of minutes from 1 to 1440.',
      )
      expect(await input.getAttribute('aria-invalid')).toBe('true')
      const describedBy = (await input.getAttribute('aria-describedby')) ?? ''
      const described = await page.evaluate(
        (ids) =>
          ids
            .split(' ')
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' '),
        describedBy,
      )
      expect(described).toContain('whole number of minutes')
      expect(await input.evaluate((el) => el === document.activeElement)).toBe(true)
      expect(await input.inputValue()).toBe('-3')
      // Refused before it was sent.
      expect(await app.calls('setSetting')).toEqual([])

      await input.fill('abc')
      await page
        .getByRole('button', { name: 'Save remind me when the camera or microphone has been on for' })
        .click()
      await expect.poll(() => error.textContent()).toContain('whole number of minutes')

      await input.fill('20')
      await input.press('Enter')
      await expect
        .poll(() => app.calls('setSetting'))
        .toEqual([{ name: 'setSetting', args: ['stillOnMinutes', 20] }])
      await page.getByText('Saved: 20 minutes.').waitFor()
      expect(await error.count()).toBe(0)
      expect(await input.getAttribute('aria-invalid')).toBeNull()

      const poll = page.getByLabel('Check the camera and microphone every')
      await poll.fill('1.5')
      await poll.press('Enter')
      await expect
        .poll(() => page.locator('.field-error').textContent())
        .toContain('The check interval must be a whole number of milliseconds from 50 to 600000.')
      expect(await app.calls('setSetting')).toHaveLength(1)
    })
  })

  test('quiet hours: "25:99" is refused in place; valid hours and turning them off are saved', async () => {
    await withView('settings', async (app) => {
      const { page } = app
      await page.getByLabel('Quiet hours').check()
      await expect
        .poll(() => app.calls('setSetting'))
        .toEqual([{ name: 'setSetting', args: ['quietHours', { start: '22:00', end: '07:00' }] }])
      const from = page.getByLabel('From')
      await from.fill('25:99')
      await page.getByRole('button', { name: 'Save quiet hours' }).click()
      const error = page.locator('.field-error')
      await expect.poll(() => error.textContent()).toContain('Quiet hours start must be a time like 22:30.')
      expect(await from.getAttribute('aria-invalid')).toBe('true')
      expect(await page.getByLabel('to', { exact: true }).getAttribute('aria-invalid')).toBeNull()
      expect(await from.evaluate((el) => el === document.activeElement)).toBe(true)
      expect(await app.calls('setSetting')).toHaveLength(1)

      await from.fill('23:30')
      await page.getByLabel('to', { exact: true }).fill('06:15')
      await page.getByRole('button', { name: 'Save quiet hours' }).click()
      await expect
        .poll(async () => (await app.calls('setSetting')).at(-1))
        .toEqual({
          name: 'setSetting',
          args: ['quietHours', { start: '23:30', end: '06:15' }],
        })
      await page.getByText('Quiet hours saved: 23:30 to 06:15.').waitFor()

      await page.getByLabel('Quiet hours').uncheck()
      await expect
        .poll(async () => (await app.calls('setSetting')).at(-1))
        .toEqual({
          name: 'setSetting',
          args: ['quietHours', null],
        })
      expect(await page.getByLabel('From').count()).toBe(0)
    })
  })

  test('the other settings save through setSetting with the right key and value', async () => {
    await withView('settings', async (app) => {
      const { page } = app
      const last = async () => (await app.calls('setSetting')).at(-1)?.args

      // Upgrading a name-only entry asks main for the program the app runs now; teams is not running.
      await page.getByRole('button', { name: 'Upgrade teams to its program file' }).click()
      await expect
        .poll(async () => (await app.calls('trustApp')).at(-1)?.args)
        .toEqual([{ pid: null, name: 'teams' }])
      await expect
        .poll(() => page.locator('.field-error').textContent())
        .toContain('teams is not using the camera or the microphone now')
      await page.getByRole('button', { name: 'Remove firefox from trusted apps' }).click()
      await expect.poll(last).toEqual(['trustedApps', [{ exe: null, name: 'teams', kinds: ['camera'] }]])
      // A name is resolved by main to the program of the app using the camera now (zoom is);
      // an app that is not running cannot be trusted by name, and the window says why.
      await page.getByLabel('Add a trusted app').fill('  zoom ')
      await page.getByRole('button', { name: 'Add trusted app' }).click()
      await expect
        .poll(async () => (await app.calls('trustApp')).at(-1)?.args)
        .toEqual([{ pid: null, name: 'zoom' }])
      await page.getByText('/opt/zoom/zoom').waitFor()
      await page.getByLabel('Add a trusted app').fill('jitsi')
      await page.getByRole('button', { name: 'Add trusted app' }).click()
      await expect
        .poll(() => page.locator('.field-error').textContent())
        .toContain('jitsi is not using the camera or the microphone now')
      // A path is the program itself; an interpreter is refused.
      await page.getByLabel('Add a trusted app').fill('/usr/bin/jitsi-meet')
      await page.getByRole('button', { name: 'Add trusted app' }).click()
      await expect.poll(last).toEqual([
        'trustedApps',
        [
          { exe: null, name: 'teams', kinds: ['camera'] },
          { exe: '/opt/zoom/zoom', name: 'zoom', kinds: ['camera'] },
          { exe: '/usr/bin/jitsi-meet', name: 'jitsi-meet', kinds: ['camera'] },
        ],
      ])
      await page.getByLabel('Add a trusted app').fill('/usr/bin/python3')
      await page.getByRole('button', { name: 'Add trusted app' }).click()
      await expect
        .poll(() => page.locator('.field-error').textContent())
        .toContain(
          '/usr/bin/python3 is an interpreter (python3): trusting it would trust every script it runs',
        )
      await page.getByText('by name only (weaker)').waitFor()
      await page.getByLabel('Add a trusted app').fill('   ')
      await page.getByRole('button', { name: 'Add trusted app' }).click()
      await expect
        .poll(() => page.locator('.field-error').textContent())
        .toContain('app names cannot be empty')

      await page.getByLabel('Every time the camera or microphone turns on').check()
      await expect.poll(last).toEqual(['notifyFor', 'all'])
      await page.getByLabel('Then remind me again every').fill('10')
      await page.getByLabel('Then remind me again every').press('Enter')
      await expect.poll(last).toEqual(['remindEveryMinutes', 10])
      await page.getByLabel('Count me as away after').fill('2')
      await page.getByLabel('Count me as away after').press('Enter')
      await expect.poll(last).toEqual(['awayMinutes', 2])
      await page.getByLabel('Where you are').selectOption('ie')
      await expect.poll(last).toEqual(['region', 'ie'])
      await page.getByLabel('Start CamGuard when I log in').uncheck()
      await expect.poll(last).toEqual(['startAtLogin', false])
      await page.getByLabel(/Alert for virtual cameras and microphones/).check()
      await expect.poll(last).toEqual(['alertVirtualDevices', true])
      await page.getByLabel('Check the camera and microphone every').fill('500')
      await page.getByLabel('Check the camera and microphone every').press('Enter')
      await expect.poll(last).toEqual(['pollIntervalMs', 500])
      await page.getByLabel('Camera devices to watch').fill('/dev/video*\n\n/dev/v4l/by-id/*\n')
      await page.getByRole('button', { name: 'Save camera devices' }).click()
      await expect.poll(last).toEqual(['devicePatterns', ['/dev/video*', '/dev/v4l/by-id/*']])
      await page.getByLabel('Camera devices to watch').fill('  \n')
      await page.getByRole('button', { name: 'Save camera devices' }).click()
      await expect
        .poll(() => page.locator('.field-error').last().textContent())
        .toContain('Camera devices must be one or more patterns, like /dev/video*.')

      const settings = await page.evaluate(() => window.__camguardStandIn!.state().settings)
      expect(settings).toMatchObject({
        trustedApps: [
          { exe: null, name: 'teams', kinds: ['camera'] },
          { exe: '/opt/zoom/zoom', name: 'zoom', kinds: ['camera'] },
          { exe: '/usr/bin/jitsi-meet', name: 'jitsi-meet', kinds: ['camera'] },
        ],
        notifyFor: 'all',
        remindEveryMinutes: 10,
        awayMinutes: 2,
        region: 'ie',
        startAtLogin: false,
        alertVirtualDevices: true,
        pollIntervalMs: 500,
        devicePatterns: ['/dev/video*', '/dev/v4l/by-id/*'],
      })
    })
  })

  test('shows the error the api returns when main refuses a value', async () => {
    // Main may refuse what the shared schema allows (a setting it cannot write, say): the window shows its words.
    const config = await fixtureConfig({
      refuse: { awayMinutes: 'could not write settings.json: disk full' },
    })
    await withView(
      'settings',
      async (app) => {
        const { page } = app
        const input = page.getByLabel('Count me as away after')
        await input.fill('3')
        await input.press('Enter')
        await expect
          .poll(() => app.calls('setSetting'))
          .toEqual([{ name: 'setSetting', args: ['awayMinutes', 3] }])
        await expect
          .poll(() => page.locator('.field-error').textContent())
          .toContain('could not write settings.json: disk full')
        expect(await input.getAttribute('aria-invalid')).toBe('true')
        expect(await input.inputValue()).toBe('3')
      },
      config,
    )
  })
})
