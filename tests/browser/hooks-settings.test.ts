import { describe, expect, test } from 'vitest'
import { fixtureConfig, fixtureSettings, openApp, useBrowser } from './harness.js'

const browser = useBrowser()

describe('Settings: your own commands (hooks)', () => {
  test('adds a command as an argument list, shows it, and removes it', async () => {
    const config = await fixtureConfig({
      settings: {
        ...fixtureSettings(),
        hooks: [{ id: 'abc123', on: ['camera-off'], command: ['/usr/bin/light', 'off'] }],
      },
    })
    const app = await openApp(browser(), { hash: 'settings', config })
    try {
      const { page } = app
      const last = async () => (await app.calls('setSetting')).at(-1)?.args
      await page.getByText('/usr/bin/light off', { exact: true }).waitFor()
      expect(await page.getByText('when the camera turns off').count()).toBe(1)

      // Nothing chosen: said in place, nothing saved.
      await page.getByLabel('Program').fill('notify-send')
      await page.getByRole('button', { name: 'Add command' }).click()
      await expect
        .poll(() => page.locator('.field-error').textContent())
        .toContain('choose at least one event')
      expect(await app.calls('setSetting')).toEqual([])

      await page.getByLabel('the camera turns on', { exact: true }).check()
      await page.getByLabel('a device turns on unexpectedly').check()
      // Written as they are: no shell splits or expands them.
      await page.getByLabel('Arguments').fill('-u\ncritical\nOn air: $(rm -rf ~) "quoted"')
      await page.getByRole('button', { name: 'Add command' }).click()
      await expect.poll(last).toEqual([
        'hooks',
        [
          { id: 'abc123', on: ['camera-off'], command: ['/usr/bin/light', 'off'] },
          {
            id: expect.stringMatching(/^[0-9a-f]{6}$/),
            on: ['camera-on', 'unexpected'],
            command: ['notify-send', '-u', 'critical', 'On air: $(rm -rf ~) "quoted"'],
          },
        ],
      ])
      await page.getByText('when the camera turns on, or a device turns on unexpectedly').waitFor()
      expect(await page.getByLabel('Program').inputValue()).toBe('')

      await page.getByRole('button', { name: 'Remove the command /usr/bin/light off' }).click()
      await expect
        .poll(last)
        .toEqual(['hooks', [expect.objectContaining({ on: ['camera-on', 'unexpected'] })]])
      expect(await page.getByText('/usr/bin/light off', { exact: true }).count()).toBe(0)
      expect(app.problems).toEqual([])
    } finally {
      await app.close()
    }
  })

  test('refuses a command with no program, in place', async () => {
    const app = await openApp(browser(), { hash: 'settings' })
    try {
      const { page } = app
      await page.getByText('No commands yet.').waitFor()
      await page.getByLabel('the microphone turns on', { exact: true }).check()
      await page.getByRole('button', { name: 'Add command' }).click()
      await expect.poll(() => page.locator('.field-error').textContent()).toContain('give the program to run')
      expect(await page.getByLabel('Program').getAttribute('aria-invalid')).toBe('true')
      expect(await app.calls('setSetting')).toEqual([])
    } finally {
      await app.close()
    }
  })
})

describe('Settings: the microphone', () => {
  test('turns microphone watching off and saves the capture node patterns', async () => {
    const app = await openApp(browser(), { hash: 'settings' })
    try {
      const { page } = app
      const last = async () => (await app.calls('setSetting')).at(-1)?.args
      const watch = page.getByLabel('Watch the microphone too')
      expect(await watch.isChecked()).toBe(true)
      await watch.uncheck()
      await expect.poll(last).toEqual(['watchMicrophone', false])
      await page.getByLabel('Microphone devices to watch').fill('/dev/snd/pcmC1D*c\n\n/tmp/test-mic\n')
      await page.getByRole('button', { name: 'Save microphone devices' }).click()
      await expect.poll(last).toEqual(['micDevicePatterns', ['/dev/snd/pcmC1D*c', '/tmp/test-mic']])
      await page.getByLabel('Microphone devices to watch').fill(' ')
      await page.getByRole('button', { name: 'Save microphone devices' }).click()
      await expect
        .poll(() => page.locator('.field-error').last().textContent())
        .toContain('Microphone devices must be one or more patterns, like /dev/snd/pcmC*D*c.')
      expect(app.problems).toEqual([])
    } finally {
      await app.close()
    }
  })
})
