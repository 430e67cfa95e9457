// Accessibility across every view: axe-core in light and dark at two widths, keyboard-only reach with a
// visible focus, readable text, no sideways scrolling at 400 px, and screenshots to look at.
import { AxeBuilder } from '@axe-core/playwright'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { View } from '../../src/shared/ipc.js'
import {
  assertBuilt,
  launchBrowser,
  openApp,
  screenshotDir,
  showView,
  VIEWS,
  type AppPage,
} from './harness.js'

let browser: Browser
let app: AppPage

beforeAll(async () => {
  assertBuilt()
  browser = await launchBrowser()
  app = await openApp(browser)
})

afterAll(async () => {
  await app?.close()
  await browser?.close()
})

const SCHEMES = ['light', 'dark'] as const
const WIDTHS = [1000, 400] as const

/** Each view in a state that shows most of what it can: results, errors, confirmations. */
async function prepare(page: Page, view: View): Promise<void> {
  if (view === 'guide') {
    await page.getByLabel('Search the guide').fill('report')
    await page.locator('.search-results li').first().waitFor()
  }
  if (view === 'settings') {
    await page.getByLabel('Quiet hours').check()
    await page.getByLabel('From').fill('25:99')
    await page.getByRole('button', { name: 'Save quiet hours' }).click()
    await page.locator('.field-error').waitFor()
  }
  if (view === 'evidence') {
    if ((await page.getByRole('form').count()) === 0) {
      await page.getByRole('button', { name: 'Add an entry' }).click()
      await page.getByRole('button', { name: 'Add a payment' }).click()
    }
    await page.getByLabel('Amount').waitFor()
  }
  if (view === 'status') {
    const confirm = page.getByRole('group', { name: /Stop obs/ })
    if ((await confirm.count()) === 0) await page.getByRole('button', { name: 'Stop obs…' }).click()
    await confirm.waitFor()
  }
}

async function axe(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze()
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`.slice(0, 300)),
  }))
}

describe('accessibility and looks', () => {
  // One test a view (each 2 widths x 2 colour schemes), so a slow shared machine has time for each.
  test.each(VIEWS)(
    'axe-core finds no violations on %s, light and dark, at 1000 and 400 px; screenshots',
    async (view) => {
      const dir = await screenshotDir()
      const { page } = app
      const found: string[] = []
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 800 })
        await showView(app, view)
        await prepare(page, view)
        for (const scheme of SCHEMES) {
          await page.emulateMedia({ colorScheme: scheme })
          expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
            scheme === 'dark',
          )
          const violations = await axe(page)
          if (violations.length)
            found.push(`${view} ${scheme} ${width}px: ${JSON.stringify(violations, null, 2)}`)
          await page.screenshot({ path: join(dir, `${view}-${scheme}-${width}.png`), fullPage: true })
        }
      }
      console.log(`screenshots of ${view} written to ${dir}`)
      await page.emulateMedia({ colorScheme: 'light' })
      await page.setViewportSize({ width: 1000, height: 800 })
      expect(found).toEqual([])
      expect(app.problems).toEqual([])
    },
    240_000,
  )

  test('the quick-exit screen is calm and passes axe too', async () => {
    const quick = await openApp(browser, { hash: 'guide' })
    try {
      await quick.page.keyboard.press('Escape')
      await quick.page.getByRole('button', { name: 'Open CamGuard' }).waitFor()
      for (const scheme of SCHEMES) {
        await quick.page.emulateMedia({ colorScheme: scheme })
        expect(await axe(quick.page)).toEqual([])
      }
      await quick.page.screenshot({ path: join(await screenshotDir(), 'hidden-neutral.png') })
      expect(quick.problems).toEqual([])
    } finally {
      await quick.close()
    }
  }, 120_000)

  test('themes follow the system: body text is 16 px or more, and dark really is dark', async () => {
    const { page } = app
    await page.setViewportSize({ width: 1000, height: 800 })
    await showView(app, 'status')
    const colours: Record<string, string> = {}
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme })
      const style = await page.evaluate(() => {
        const s = getComputedStyle(document.body)
        return { size: parseFloat(s.fontSize), bg: s.backgroundColor }
      })
      expect(style.size).toBeGreaterThanOrEqual(16)
      colours[scheme] = style.bg
    }
    const lightness = (rgb: string) => {
      const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number)
      return ((r ?? 0) + (g ?? 0) + (b ?? 0)) / 3
    }
    expect(lightness(colours.light!)).toBeGreaterThan(200)
    expect(lightness(colours.dark!)).toBeLessThan(50)
  })

  test('at 400 px wide nothing scrolls sideways', async () => {
    const { page } = app
    await page.setViewportSize({ width: 400, height: 800 })
    for (const view of VIEWS) {
      await showView(app, view)
      await prepare(page, view)
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }))
      expect(scroll, view).toBeLessThanOrEqual(client)
    }
    await page.setViewportSize({ width: 1000, height: 800 })
  })

  test('landmarks and headings: banner, navigation, main, one h1 per view', async () => {
    const { page } = app
    for (const view of VIEWS) {
      await showView(app, view)
      expect(await page.getByRole('banner').count(), view).toBe(1)
      expect(await page.getByRole('main').count(), view).toBe(1)
      expect(await page.getByRole('navigation', { name: 'CamGuard sections' }).count(), view).toBe(1)
      expect(await page.locator('h1').count(), view).toBe(1)
      expect(await page.title(), view).toBe(`${view[0]!.toUpperCase()}${view.slice(1)} — CamGuard`)
      // The view change moved focus to its heading (for screen readers).
      expect(await page.evaluate(() => document.activeElement?.tagName), view).toBe('H1')
    }
  })

  test('Tab alone reaches every control of each view, each with a visible focus', async () => {
    const { page } = app
    for (const view of VIEWS) {
      await showView(app, view)
      await prepare(page, view)
      const total = await page.evaluate(() => {
        const selector = 'button, a[href], input, select, textarea, [tabindex]:not([tabindex="-1"])'
        const controls = [...document.querySelectorAll<HTMLElement>(selector)].filter(
          (el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
        )
        // A radio group is one Tab stop: mark the whole group by its name.
        controls.forEach((el, i) => {
          const radio = el instanceof HTMLInputElement && el.type === 'radio'
          el.dataset.kbd = radio ? `radio:${el.name}` : String(i)
        })
        ;(document.activeElement as HTMLElement | null)?.blur()
        window.scrollTo(0, 0)
        return new Set(controls.map((el) => el.dataset.kbd)).size
      })
      const reached = new Set<string>()
      const notVisible: string[] = []
      for (let i = 0; i < total * 2 + 10 && reached.size < total; i++) {
        await page.keyboard.press('Tab')
        const focus = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null
          if (!el || el === document.body) return null
          const s = getComputedStyle(el)
          return {
            kbd: el.dataset.kbd ?? null,
            label: (el.getAttribute('aria-label') ?? el.textContent ?? el.id).trim().slice(0, 40),
            visible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
          }
        })
        if (!focus?.kbd) continue
        reached.add(focus.kbd)
        if (!focus.visible) notVisible.push(focus.label)
      }
      const missing = await page.evaluate(
        (got) =>
          [...document.querySelectorAll<HTMLElement>('[data-kbd]')]
            .filter((el) => !got.includes(el.dataset.kbd!))
            .map((el) => el.outerHTML.slice(0, 120)),
        [...reached],
      )
      expect(missing, `${view}: not reached by Tab`).toEqual([])
      expect(notVisible, `${view}: focus not visible`).toEqual([])
      // Escape is the quick exit, so the keyboard test must not press it; reset what prepare() opened instead.
      await page.evaluate(() =>
        document.querySelectorAll('[data-kbd]').forEach((el) => el.removeAttribute('data-kbd')),
      )
    }
    expect(app.problems).toEqual([])
  }, 180_000)
})
