// The Evidence view through the stand-in api, and the exported report itself in Chromium: axe, print to PDF.
import { AxeBuilder } from '@axe-core/playwright'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { EvidenceStore, exportEvidence } from '../../src/core/evidence/index.js'
import type { ActivitySession } from '../../src/shared/types.js'
import { activitySession } from '../support/sessions.js'
import { fixtureConfig, openApp, quickExitWays, screenshotDir, useBrowser, type AppPage } from './harness.js'
import type { StandInConfig } from './stand-in-api.js'

const browser = useBrowser()

async function withEvidence(fn: (app: AppPage) => Promise<void>, config?: StandInConfig) {
  const app = await openApp(browser(), { hash: 'evidence', ...(config ? { config } : {}) })
  try {
    await app.page.locator('.entries-count').waitFor()
    await fn(app)
    expect(app.problems).toEqual([])
  } finally {
    await app.close()
  }
}

async function axe(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze()
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

describe('Evidence view', () => {
  test('says the safety rule before anything else', async () => {
    await withEvidence(async ({ page }) => {
      const rule = page.locator('main .safety-rule')
      expect(await rule.textContent()).toMatch(
        /^Never add sexual images, especially of anyone under 18\.Not even of yourself.*Describe them in words instead/,
      )
      // Right after the heading, and before every other text and control of the view.
      const order = await page.evaluate(() => {
        const main = document.querySelector('main')!
        const rule = main.querySelector('.safety-rule')!
        const first = [...main.children].filter((el) => el.tagName !== 'H1')[0]
        const before = [...main.querySelectorAll('p, button, input, textarea, select, li, h2')].filter(
          (el) => !rule.contains(el) && el.compareDocumentPosition(rule) & Node.DOCUMENT_POSITION_FOLLOWING,
        )
        return { firstIsRule: first === rule, before: before.map((el) => el.outerHTML.slice(0, 80)) }
      })
      expect(order).toEqual({ firstIsRule: true, before: [] })
      // The form repeats it where files are chosen.
      await page.getByRole('button', { name: 'Add an entry' }).click()
      expect(await page.locator('.files .hint').textContent()).toContain('No sexual images')
    })
  })

  test('lists entries newest first with what matters', async () => {
    await withEvidence(async ({ page }) => {
      expect(await page.locator('.entries-count').textContent()).toBe('2 entries, newest first.')
      const cards = await page.locator('.entry-card').allTextContents()
      expect(cards[0]).toMatch(
        /— Instagram.*amy\.k\.2.*Paid 50 GBP by Steam gift card \(reference X12\).*FilesNone/,
      )
      expect(cards[1]).toMatch(
        /— Snapchat.*amy\.k, Amy K.*Pay 200 GBP.*Asked for 200 GBP by gift card.*chat-1\.png/,
      )
    })
  })

  test('adds an entry with payments and files chosen in main’s dialog', async () => {
    await withEvidence(async (app) => {
      const { page } = app
      await page.getByRole('button', { name: 'Add an entry' }).click()
      const form = page.getByRole('form', { name: 'Add an entry' })
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add an entry')
      await form.getByLabel('When it happened').fill('2026-11-27T21:40')
      await form.getByLabel('App or website').fill('  Snapchat ')
      await form.getByLabel('Their account names').fill('lucy_x_2009\n\nLucy X\n')
      await form.getByLabel('Links to their profiles').fill('https://www.snapchat.com/add/lucy_x_2009')
      await form.getByLabel('What they said or demanded').fill('Pay 300 or I post it\nto your school')
      await form.getByRole('button', { name: 'Add a payment' }).click()
      await form.getByRole('group', { name: 'Payment 1' }).getByLabel('Asked or paid').selectOption('paid')
      await form.getByLabel('Amount').fill('50')
      await form.getByLabel('Currency').fill('GBP')
      await form.getByLabel('How').fill('gift card')
      await form.getByLabel('Reference').fill('AB12')
      await form.getByLabel('Notes').fill('I blocked them after this.')
      await form.getByRole('button', { name: 'Choose files…' }).click()
      await form.getByText('receipt.pdf', { exact: true }).waitFor()
      await form.getByRole('button', { name: 'Remove chat-2.png' }).click()
      await form.getByRole('button', { name: 'Save entry' }).click()
      await page
        .getByText(/^Entry saved: Fri, 27 Nov 2026, 21:40, 1 file\. Kept on this computer only\.$/)
        .waitFor()

      const [pick] = await app.calls('pickEvidenceFiles')
      expect(pick).toBeDefined()
      const [add] = await app.calls('addEvidence')
      const tokens = add!.args[1] as string[]
      expect(tokens).toHaveLength(1)
      expect(add!.args[0]).toEqual({
        at: new Date(2026, 10, 27, 21, 40).toISOString(),
        app: 'Snapchat',
        accounts: ['lucy_x_2009', 'Lucy X'],
        links: ['https://www.snapchat.com/add/lucy_x_2009'],
        demand: 'Pay 300 or I post it\nto your school',
        payments: [{ kind: 'paid', amount: '50', currency: 'GBP', method: 'gift card', reference: 'AB12' }],
        notes: 'I blocked them after this.',
      })
      const saved = (await page.evaluate(() => window.__camguardStandIn!.state().evidence)).at(-1)!
      expect(saved.attachments.map((a) => a.name)).toEqual(['receipt.pdf'])
      expect(await page.locator('.entries-count').textContent()).toBe('3 entries, newest first.')
      expect(await page.getByRole('form').count()).toBe(0)
      // Focus goes back to where the person started.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add an entry')
    })
  })

  test('refuses a bad amount or a time in the future in place, before anything is sent', async () => {
    await withEvidence(async (app) => {
      const { page } = app
      await page.getByRole('button', { name: 'Add an entry' }).click()
      const form = page.getByRole('form', { name: 'Add an entry' })
      await form.getByRole('button', { name: 'Add a payment' }).click()
      await form.getByLabel('Amount').fill('two hundred')
      await form.getByRole('button', { name: 'Save entry' }).click()
      const alert = form.getByRole('alert')
      await expect
        .poll(() => alert.textContent())
        .toBe('payments.0.amount: amount must be a number like 200 or 49.99')
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('field-error')
      await form.getByLabel('Amount').fill('200')
      await form.getByLabel('When it happened').fill('2099-01-01T10:00')
      await form.getByRole('button', { name: 'Save entry' }).click()
      await expect.poll(() => alert.textContent()).toMatch(/^When it happened: .* is in the future/)
      expect(await app.calls('addEvidence')).toEqual([])
      await form.getByRole('button', { name: 'Cancel' }).click()
      expect(await page.getByRole('form').count()).toBe(0)
    })
  })

  test('edits an entry: words changed, a file removed and one added', async () => {
    await withEvidence(async (app) => {
      const { page } = app
      await page.getByRole('button', { name: /^Edit the entry of .* — Snapchat$/ }).click()
      const form = page.getByRole('form', { name: 'Edit the entry' })
      expect(await form.getByLabel('App or website').inputValue()).toBe('Snapchat')
      expect(await form.getByLabel('Their account names').inputValue()).toBe('amy.k\nAmy K')
      expect(await form.getByLabel('Amount').inputValue()).toBe('200')
      await form.getByLabel('App or website').fill('Snapchat, then Instagram')
      await form.getByRole('button', { name: 'Remove chat-1.png' }).click()
      await form.getByText('will be removed').waitFor()
      await form.getByRole('button', { name: 'Choose files…' }).click()
      await form.getByRole('button', { name: 'Remove receipt.pdf' }).click()
      await form.getByRole('button', { name: 'Save changes' }).click()
      await page.getByText(/^Changes saved: .*, 1 file\./).waitFor()
      const [update] = await app.calls('updateEvidence')
      expect(update!.args[0]).toBe('1a2b3c4d')
      expect((update!.args[1] as { app: string }).app).toBe('Snapchat, then Instagram')
      expect(update!.args[2]).toHaveLength(1)
      expect(update!.args[3]).toEqual(['a1'])
      const card = page.locator('.entry-card', { hasText: 'Snapchat, then Instagram' })
      expect(await card.textContent()).toContain('chat-2.png')
      expect(await card.textContent()).not.toContain('chat-1.png')
    })
  })

  test('deletes one entry after a confirmation', async () => {
    await withEvidence(async (app) => {
      const { page } = app
      await page.getByRole('button', { name: /^Delete the entry of .* — Instagram…$/ }).click()
      const confirm = page.getByRole('group', { name: /^Delete the entry of/ })
      expect(await confirm.textContent()).toContain('This cannot be undone.')
      await confirm.getByRole('button', { name: 'Yes, delete this entry' }).click()
      await page.getByText('1 entry, newest first.').waitFor()
      expect(await app.calls('deleteEvidence')).toEqual([{ name: 'deleteEvidence', args: ['5e6f7a8b'] }])
    })
  })

  test('"Delete all evidence" asks twice, says it cannot be undone, and can be cancelled at each step', async () => {
    await withEvidence(async (app) => {
      const { page } = app
      const start = page.getByRole('button', { name: 'Delete all evidence…' })
      await start.click()
      const first = page.getByRole('group', { name: 'Delete all evidence?' })
      expect(await first.textContent()).toContain('This cannot be undone.')
      await first.getByRole('button', { name: 'Cancel' }).click()
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent))
        .toBe('Delete all evidence…')

      await start.click()
      await page.getByRole('button', { name: 'Continue' }).click()
      const second = page.getByRole('group', {
        name: /^Are you sure\? 2 entries and 1 file will be gone for good\.$/,
      })
      expect(await second.textContent()).toContain('This cannot be undone.')
      // The safe choice has the focus at each step.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel')
      await second.getByRole('button', { name: 'Cancel' }).click()
      expect(await app.calls('deleteAllEvidence')).toEqual([])

      await start.click()
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.getByRole('button', { name: 'Yes, delete everything' }).click()
      await page.getByText('All evidence was deleted: 2 entries and 1 file.').waitFor()
      await page.getByText('No entries yet.').waitFor()
      expect(await app.calls('deleteAllEvidence')).toEqual([
        { name: 'deleteAllEvidence', args: ['delete all evidence'] },
      ])
    })
  })

  test('exports through main and says where, with the zip and the PDF; a cancelled dialog exports nothing', async () => {
    await withEvidence(async (app) => {
      const { page } = app
      await page.getByLabel('From (optional)').fill('2020-01-01')
      await page.getByLabel('Also make a .zip file (one file to send)').uncheck()
      await page.getByRole('button', { name: 'Export…' }).click()
      await page
        .getByText(
          'Saved 2 entries, 1 file and 2 camera or microphone sessions to /home/sam/Documents/evidence: report.html (open it to read or print), the files, and manifest.json with the SHA-256 of every file. Also a PDF of the report (report.pdf).',
        )
        .waitFor()
      expect(await app.calls('exportEvidence')).toEqual([
        { name: 'exportEvidence', args: [{ from: '2020-01-01', to: null, zip: false, pdf: true }] },
      ])
    })
    await withEvidence(
      async ({ page }) => {
        await page.getByRole('button', { name: 'Export…' }).click()
        await page.getByText('Nothing was exported.').waitFor()
      },
      await fixtureConfig({ evidenceExportDir: null }),
    )
  })

  test('says which entries could not be read and where they are kept', async () => {
    await withEvidence(
      async ({ page }) => {
        await page
          .getByText(
            '1 entry could not be read. It was moved aside and kept: /home/sam/.config/camguard/evidence/damaged/x.json',
          )
          .waitFor()
      },
      await fixtureConfig({
        damagedEvidence: [
          { path: '/home/sam/.config/camguard/evidence/damaged/x.json', reason: 'not valid JSON' },
        ],
      }),
    )
  })

  test('quick exit hides it like the guide: the button, Escape, and Shift three times, even while typing', async () => {
    await withEvidence(async (app) => {
      const { page } = app
      const ways = quickExitWays(page)
      for (const [i, [way, hide]] of ways.entries()) {
        await page.getByRole('button', { name: 'Evidence', exact: true }).click()
        await page.getByRole('button', { name: 'Add an entry' }).click()
        await page.getByLabel('What they said or demanded').fill('they said')
        await hide()
        await expect.poll(() => app.calls('hideWindow'), { message: way }).toHaveLength(i + 1)
        const text = (await page.locator('body').textContent()) ?? ''
        expect(text, way).not.toMatch(/evidence|sexual|entry|they said|Snapchat/i)
        expect(await page.locator('form, nav, input, textarea').count(), way).toBe(0)
        await page.getByRole('button', { name: 'Open CamGuard' }).click()
        await page.getByRole('heading', { level: 1, name: 'Status' }).waitFor()
      }
    })
  })

  test('axe finds nothing: the form with payments, files and an error, and the confirmations, light and dark', async () => {
    await withEvidence(async ({ page }) => {
      const found: string[] = []
      const check = async (state: string) => {
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: scheme })
          for (const v of await axe(page)) found.push(`${state} ${scheme}: ${v}`)
        }
      }
      // The list and the empty form are checked with every view in a11y.test.ts.
      await page.getByRole('button', { name: 'Add an entry' }).click()
      await page.getByRole('button', { name: 'Add a payment' }).click()
      await page.getByRole('button', { name: 'Choose files…' }).click()
      await page.getByText('receipt.pdf', { exact: true }).waitFor()
      await page.getByRole('button', { name: 'Save entry' }).click()
      await page.getByRole('alert').waitFor()
      await check('form')
      await page.getByRole('button', { name: 'Cancel' }).click()
      await page.getByRole('button', { name: 'Delete all evidence…' }).click()
      await page.getByRole('button', { name: 'Continue' }).click()
      await check('confirm')
      expect(found).toEqual([])
    })
  }, 180_000)
})

// ---- The exported report -------------------------------------------------------------------------------

/** A real notebook exported by the real code: `entries` entries, each with a file, and a session a day. */
async function exportReport(entries: number): Promise<string> {
  const data = mkdtempSync(join(tmpdir(), 'camguard-report-data-'))
  const src = mkdtempSync(join(tmpdir(), 'camguard-report-src-'))
  const store = new EvidenceStore(data)
  const sessions: ActivitySession[] = []
  for (let i = 0; i < entries; i++) {
    const day = new Date(Date.UTC(2026, 10, 1 + i, 21, 40))
    const file = join(src, `chat-${i + 1}.png`)
    writeFileSync(file, `screenshot ${i}`)
    await store.add(
      {
        at: day.toISOString(),
        app: i % 2 ? 'Instagram' : 'Snapchat',
        accounts: ['amy.k', `amy.k.${i}`],
        links: [`https://www.instagram.com/amy.k.${i}`],
        demand: `Pay ${100 + i * 50} GBP by tonight or I send the video to everyone on your friends list.\nThey sent a screenshot of my school's page.`,
        payments:
          i % 3 === 1
            ? [{ kind: 'paid', amount: '50', currency: 'GBP', method: 'gift card', reference: `R${i}` }]
            : [],
        notes: 'They moved me from a chat app to a video call.',
      },
      [file],
    )
    sessions.push(activitySession(`s${i}`, new Date(day.getTime() - 15 * 60_000).toISOString(), 12))
  }
  const out = join(mkdtempSync(join(tmpdir(), 'camguard-report-out-')), 'evidence')
  await exportEvidence(store, {
    out,
    now: new Date('2026-11-28T16:00:00Z'),
    version: '0.1.0',
    sessions: () => sessions,
    timeZone: 'Europe/London',
  })
  return join(out, 'report.html')
}

/** Pages in a PDF made by Chromium: its page tree's /Count. */
function pdfPages(pdf: Buffer): number {
  const counts = [...pdf.toString('latin1').matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)/g)].map((m) =>
    Number(m[1]),
  )
  const leaves = pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0
  return Math.max(0, ...counts, leaves)
}

async function openReport(path: string) {
  const context = await browser().newContext({ viewport: { width: 900, height: 1000 }, locale: 'en-GB' })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (m) => problems.push(`console ${m.type()}: ${m.text()}`))
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) problems.push(`request: ${r.url()}`)
  })
  await page.goto(pathToFileURL(path).href)
  return { page, problems, close: () => context.close() }
}

describe('the exported report in Chromium', () => {
  test('passes axe, loads nothing, runs nothing, and prints to PDF with pages to match its length', async () => {
    const short = await openReport(await exportReport(2))
    const long = await openReport(await exportReport(10))
    try {
      // axe on the short one: the long one has the same structure, only more of it (and axe is slow on it).
      expect(await axe(short.page)).toEqual([])
      for (const r of [short, long]) {
        expect(await r.page.evaluate(() => document.scripts.length)).toBe(0)
        // The inline style sheet applies (the CSP lets it in by its hash): tables have their borders.
        expect(
          await r.page
            .locator('th')
            .first()
            .evaluate((el) => getComputedStyle(el).borderTopStyle),
        ).toBe('solid')
        expect(r.problems).toEqual([])
      }
      const pages: number[] = []
      for (const r of [short, long]) {
        await r.page.emulateMedia({ media: 'print' })
        // Printed on A4, nothing is wider than the page.
        await r.page.setViewportSize({ width: 680, height: 1000 })
        const overflow = await r.page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        )
        expect(overflow).toBeLessThanOrEqual(0)
        const height = await r.page.evaluate(() => document.documentElement.scrollHeight)
        const pdf = await r.page.pdf({ preferCSSPageSize: true, printBackground: true })
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
        const count = pdfPages(pdf)
        // A4 less the report's margins is about 1000 CSS px high: the page count follows the content's height.
        expect(count).toBeGreaterThanOrEqual(Math.max(1, Math.floor(height / 1100)))
        expect(count).toBeLessThanOrEqual(Math.ceil(height / 700) + 1)
        pages.push(count)
        if (r === long) writeFileSync(join(await screenshotDir(), 'evidence-report.pdf'), pdf)
      }
      expect(pages[0]).toBeGreaterThanOrEqual(1)
      expect(pages[1]).toBeGreaterThan(pages[0]!)
    } finally {
      await short.close()
      await long.close()
    }
  }, 180_000)

  test('a sample report, as a person sees it (screenshot)', async () => {
    const r = await openReport(await exportReport(3))
    try {
      const path = join(await screenshotDir(), 'evidence-report.png')
      await r.page.screenshot({ path, fullPage: true })
      expect(r.problems).toEqual([])
    } finally {
      await r.close()
    }
  })
})
