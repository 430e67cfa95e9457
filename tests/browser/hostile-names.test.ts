// Names chosen by other programs, in the window: a right-to-left override must not reverse the
// words after it, and a very long name must not push its card wider than the window; the whole name
// is there on hover and on keyboard focus.
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { fixtureConfig, fixtureSettings, openApp, showView, unexpectedStatus, useBrowser } from './harness.js'

const browser = useBrowser()

const RLO = '\u202e'
const LONG = 'VeryLongCameraApp'.repeat(30)

function hostileStatus() {
  const status = unexpectedStatus()
  const apps = [
    { pid: 4242, name: `${RLO}gpj.exe`, exe: `/tmp/${RLO}4pm.sh`, evidence: 'streaming' as const },
    { pid: 5150, name: LONG, exe: `/opt/${LONG}/bin/app`, evidence: 'open' as const },
  ]
  return {
    ...status,
    apps,
    snapshot: { ...status.snapshot, cameras: [{ ...status.snapshot.cameras[0]!, users: apps }] },
  }
}

/** Left edge of the first rendered occurrence of `needle` inside the element matched by selector. */
function xOf(page: Page, selector: string, needle: string): Promise<number> {
  return page.evaluate(
    ([sel, text]) => {
      const root = document.querySelector(sel!)!
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.textContent!.indexOf(text!)
        if (at < 0) continue
        const range = document.createRange()
        range.setStart(n, at)
        range.setEnd(n, at + 1)
        return range.getBoundingClientRect().left
      }
      throw new Error(`"${text}" is not in ${sel}`)
    },
    [selector, needle],
  )
}

describe('names from other programs in the window', () => {
  test('a right-to-left override is shown written out and does not reverse the words after it', async () => {
    const app = await openApp(browser(), {
      config: await fixtureConfig({
        status: hostileStatus(),
        settings: { ...fixtureSettings(), trustedApps: [`${RLO}evil`] },
      }),
    })
    try {
      const { page } = app
      const card = page.locator('.app-card').first()
      await expect.poll(() => card.locator('h3').textContent()).toBe('\\u202egpj.exe')
      expect(await card.locator('.path').textContent()).toBe('/tmp/\\u202e4pm.sh')
      expect(await page.evaluate(() => document.body.textContent!.includes('\u202e'))).toBe(false)

      // "Stop <name> (process 4242)?": the words after the name read left to right.
      await card.getByRole('button', { name: /^Stop / }).click()
      const question = '.app-card .confirm-question'
      await page.locator(question).waitFor()
      expect(await xOf(page, question, 'r')).toBeLessThan(await xOf(page, question, '?'))
      expect(await xOf(page, question, 'S')).toBeLessThan(await xOf(page, question, 'r'))

      await showView(app, 'settings')
      await expect.poll(() => page.locator('.trusted-name').first().textContent()).toBe('\\u202eevil')
      expect(app.problems).toEqual([])
    } finally {
      await app.close()
    }
  })

  test('a very long name stays inside its card, cut to one line, and is shown whole on hover and focus', async () => {
    const app = await openApp(browser(), {
      config: await fixtureConfig({ status: hostileStatus() }),
      width: 700,
    })
    try {
      const { page } = app
      const card = page.locator('.app-card').nth(1)
      const name = card.locator('h3 .foreign')
      await name.waitFor()
      const fits = () => card.evaluate((el) => el.scrollWidth <= el.clientWidth)
      expect(await fits()).toBe(true)
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
      // Cut: the name is wider than the room it has, and on one line.
      const box = () =>
        name.evaluate((el) => ({ clipped: el.scrollWidth > el.clientWidth, height: el.clientHeight }))
      const cut = await box()
      expect(cut.clipped).toBe(true)
      expect(await name.getAttribute('title')).toBe(LONG)

      await name.focus()
      const whole = await box()
      expect(whole.clipped).toBe(false)
      expect(whole.height).toBeGreaterThan(cut.height * 3)
      expect(await fits()).toBe(true)

      await name.blur()
      await page.mouse.move(0, 0)
      expect((await box()).clipped).toBe(true)
      await name.hover()
      expect((await box()).clipped).toBe(false)
      expect(app.problems).toEqual([])
    } finally {
      await app.close()
    }
  })
})
