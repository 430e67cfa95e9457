import { AxeBuilder } from '@axe-core/playwright'
import { describe, expect, test } from 'vitest'
import { isAllowedExternalUrl } from '../../src/shared/guide.js'
import { GUIDE_FACTS, PHONE_NUMBERS } from '../support/guide-facts.js'
import { fixtureConfig, loadGuideTopics, openApp, useBrowser, type AppPage } from './harness.js'

const browser = useBrowser()

async function withGuide(
  fn: (app: AppPage) => Promise<void>,
  config?: Awaited<ReturnType<typeof fixtureConfig>>,
) {
  const app = await openApp(browser(), { hash: 'guide', ...(config ? { config } : {}) })
  try {
    await app.page.locator('article.topic h2').first().waitFor()
    await fn(app)
    expect(app.problems).toEqual([])
  } finally {
    await app.close()
  }
}

const article = (app: AppPage) => app.page.locator('article.topic')
const tocTitles = (app: AppPage) =>
  app.page.getByRole('navigation', { name: 'Guide topics' }).getByRole('button').allTextContents()

describe('Guide view', () => {
  test('lists the region’s topics in order and shows the first one', async () => {
    const topics = await loadGuideTopics()
    await withGuide(async (app) => {
      const expected = topics
        .filter((t) => t.regions === null || t.regions.includes('uk'))
        .sort((a, b) => a.order - b.order)
        .map((t) => t.title)
      expect(await tocTitles(app)).toEqual(expected)
      expect(await article(app).locator('h2').first().textContent()).toBe(expected[0])
      expect(await app.page.getByLabel('Where you are').inputValue()).toBe('uk')
      expect(await app.calls('getGuide')).toEqual([{ name: 'getGuide', args: [] }])
    })
  })

  test('search finds a step by its words and shows the topic it is in', async () => {
    await withGuide(async (app) => {
      const { page } = app
      await page.getByLabel('Search the guide').fill('deactivate')
      const results = page.locator('.search-results')
      await expect
        .poll(() => results.getByRole('status').textContent())
        .toMatch(/^\d+ steps? found for “deactivate”/)
      const first = results.locator('li').first()
      expect(await first.textContent()).toContain('In “If it is happening to you”')
      expect(await first.textContent()).toMatch(/Save first, then deactivate or lock the account/)
      await first.getByRole('button', { name: /Show this step in/ }).click()
      await expect
        .poll(() => article(app).locator('h2').first().textContent())
        .toBe('If it is happening to you')
      const found = article(app).locator('.found-step')
      await expect.poll(() => found.count()).toBe(1)
      expect(await found.textContent()).toMatch(/Save first, then deactivate or lock the account/)
      expect(await page.evaluate(() => document.activeElement?.classList.contains('found-step'))).toBe(true)

      // Many matches: the first few, then all on request.
      await page.getByLabel('Search the guide').fill('report')
      const count = Number((await results.getByRole('status').textContent())?.match(/^(\d+)/)?.[1])
      expect(count).toBeGreaterThan(6)
      expect(await results.locator('li').count()).toBe(6)
      await results.getByRole('button', { name: `Show all ${count} results` }).click()
      expect(await results.locator('li').count()).toBe(count)

      await page.getByLabel('Search the guide').fill('zzqx nothing like this')
      await expect.poll(() => results.getByRole('status').textContent()).toMatch(/^Nothing found/)
    })
  })

  test('the region switch reloads the guide, so the numbers change', async () => {
    await withGuide(async (app) => {
      const { page } = app
      const openHelp = async (region: string) => {
        const help = page
          .getByRole('navigation', { name: 'Guide topics' })
          .getByRole('button', { name: /Get help in/ })
        expect(await help.count()).toBe(1)
        expect(await help.textContent()).toContain(region)
        await help.click()
        await expect.poll(() => article(app).locator('h2').first().textContent()).toContain(region)
        return (await article(app).textContent()) ?? ''
      }
      const uk = await openHelp('the United Kingdom')
      expect(uk).toContain('999')
      expect(uk).toContain('101')
      expect(uk).not.toContain('911')

      await page.getByLabel('Where you are').selectOption('us')
      await expect
        .poll(() => app.calls('getGuide'))
        .toEqual([
          { name: 'getGuide', args: [] },
          { name: 'getGuide', args: ['us'] },
        ])
      const us = await openHelp('the United States')
      expect(us).toContain('911')
      expect(us).not.toContain('999')

      await page.getByLabel('Where you are').selectOption('uk')
      expect(await openHelp('the United Kingdom')).toContain('999')
    })
  })

  test('allowlisted links open in the system browser through the api; others are not links', async () => {
    const topics = await loadGuideTopics()
    const probe = {
      id: 'zz-link-probe',
      title: 'Link probe',
      order: 999,
      regions: null,
      body: [
        'Allowed: [Samaritans](https://www.samaritans.org).',
        'Not allowed: [somewhere](https://example.com/x), [plain http](http://www.samaritans.org),',
        '[phone](tel:999) and [script](javascript:alert(1)).',
        '',
        '<script>window.__pwned = 1</script>',
        '',
        '<img src="x" onerror="window.__pwned = 2"> and <b onclick="window.__pwned = 3">bold</b>',
        '',
        '![a picture](https://example.com/p.png)',
      ].join('\n'),
    }
    await withGuide(
      async (app) => {
        const { page } = app
        await page.getByRole('button', { name: 'Link probe' }).click()
        const body = article(app).locator('.markdown')
        await expect.poll(() => body.textContent()).toContain('Allowed:')

        // Every link in every topic is either allowlisted https or a link to another topic.
        const hrefs = await body.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
        expect(hrefs).toEqual(['https://www.samaritans.org'])
        for (const words of ['somewhere', 'plain http', 'phone', 'script']) {
          expect(await body.getByText(words, { exact: true }).evaluate((e) => e.tagName)).toBe('SPAN')
        }
        // Raw HTML is shown as text, never run.
        expect(await body.textContent()).toContain('<script>window.__pwned = 1</script>')
        expect(await body.locator('script, img, b[onclick]').count()).toBe(0)
        expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()

        await body.getByRole('link', { name: /Samaritans/ }).click()
        await expect
          .poll(() => app.calls('openExternal'))
          .toEqual([{ name: 'openExternal', args: ['https://www.samaritans.org'] }])
        await page.getByText('Opened www.samaritans.org in your web browser.').waitFor()
        expect(page.url()).toMatch(/#guide/)
      },
      await fixtureConfig({ topics: [...topics, probe] }),
    )
  })

  test('every link in the shipped guide is allowlisted or points to another topic', async () => {
    await withGuide(async (app) => {
      const { page } = app
      const buttons = page.getByRole('navigation', { name: 'Guide topics' }).getByRole('button')
      for (const region of ['uk', 'ie', 'us', 'ca', 'au', 'other']) {
        await page.getByLabel('Where you are').selectOption(region)
        await expect.poll(async () => (await app.calls('getGuide')).at(-1)?.args).toEqual([region])
        await page.waitForTimeout(50)
        for (let i = 0; i < (await buttons.count()); i++) {
          await buttons.nth(i).click()
          const links = await article(app)
            .locator('.markdown a')
            .evaluateAll((as) =>
              as.map((a) => [
                a.getAttribute('href'),
                a.getAttribute('data-topic') ?? a.getAttribute('data-view'),
              ]),
            )
          for (const [href, target] of links) {
            expect(target !== null || isAllowedExternalUrl(href), `${region}: ${href}`).toBe(true)
          }
          // Headings go down one level at a time from the topic's h2 (axe checks only the page it sees).
          const levels = await article(app)
            .locator('h2, h3, h4, h5, h6')
            .evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])))
          expect(levels[0]).toBe(2)
          levels.forEach((level, j) => expect(level - (levels[j - 1] ?? 1)).toBeLessThanOrEqual(1))
        }
      }
      // "#help" goes to the region's own help page.
      await page.getByLabel('Where you are').selectOption('ie')
      await page.getByRole('button', { name: 'If it is happening to you' }).click()
      await article(app).getByRole('link', { name: 'Get help' }).first().click()
      await expect.poll(() => article(app).locator('h2').first().textContent()).toBe('Get help in Ireland')
    })
  })

  test('quick exit: the button, Escape and Shift three times hide the window at once', async () => {
    await withGuide(async (app) => {
      const { page } = app
      const ways: [string, () => Promise<void>][] = [
        ['the button', () => page.getByRole('button', { name: 'Hide now' }).click()],
        ['Escape', () => page.keyboard.press('Escape')],
        [
          'Shift three times',
          async () => {
            for (let i = 0; i < 3; i++) await page.keyboard.press('Shift')
          },
        ],
      ]
      for (const [i, [way, hide]] of ways.entries()) {
        // Start from a busy page: the guide open, focus in the search box.
        await page.getByRole('button', { name: 'Guide', exact: true }).click()
        await page.getByLabel('Search the guide').fill('police')
        await hide()
        await expect.poll(() => app.calls('hideWindow'), { message: way }).toHaveLength(i + 1)
        // The page was cleared to a neutral state: no guide, no nav, nothing about the camera.
        const text = (await page.locator('body').textContent()) ?? ''
        expect(text, way).not.toMatch(/Guide|happening|threat|camera|police/i)
        expect(await page.locator('article, nav, input').count(), way).toBe(0)
        await page.getByRole('button', { name: 'Open CamGuard' }).click()
        await page.getByRole('heading', { level: 1, name: 'Status' }).waitFor()
      }

      // Shift in capitals, or spread out over time, does not hide.
      await page.getByRole('button', { name: 'Guide', exact: true }).click()
      await page.getByLabel('Search the guide').click()
      await page.keyboard.type('Police Report Now')
      await page.keyboard.press('Shift')
      await page.waitForTimeout(1100)
      await page.keyboard.press('Shift')
      await page.keyboard.press('Shift')
      await page.waitForTimeout(200)
      expect(await app.calls('hideWindow')).toHaveLength(3)
    })
  })

  test('the Hide now button says what it does not erase', async () => {
    await withGuide(async ({ page }) => {
      const button = page.getByRole('button', { name: 'Hide now' })
      const description = await button.evaluate(
        (b) => document.getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent,
      )
      expect(description).toMatch(/does not clear your browser history or other apps/)
    })
  })
  const NEW_TOPICS = [
    'If you are under 18',
    'For parents and carers',
    'What to say',
    'Afterwards: lock down your accounts',
  ]

  // One test a topic: axe is slow on a busy machine, and each gets its own time.
  test.each(NEW_TOPICS)('the new topic “%s” is in the list, opens, and passes axe', async (title) => {
    await withGuide(async (app) => {
      const { page } = app
      expect(await tocTitles(app)).toContain(title)
      await page
        .getByRole('navigation', { name: 'Guide topics' })
        .getByRole('button', { name: title })
        .click()
      await expect.poll(() => article(app).locator('h2').first().textContent()).toBe(title)
      const result = await new AxeBuilder({ page })
        .include('article.topic')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
        .analyze()
      expect(
        result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      ).toEqual([])
      // Under 18: "not in trouble" is the first thing the page says.
      if (title === 'If you are under 18') {
        expect(await article(app).locator('.markdown > p').first().textContent()).toMatch(
          /^You are not in trouble\./,
        )
      }
    })
  })

  test('searching “parent”, “paid” and “two-step” finds the new parts', async () => {
    await withGuide(async (app) => {
      const { page } = app
      const results = page.locator('.search-results')
      for (const [query, title] of [
        ['parent', 'For parents and carers'],
        ['paid', 'If it is happening to you'],
        ['two-step', 'Afterwards: lock down your accounts'],
      ] as const) {
        await page.getByLabel('Search the guide').fill(query)
        await expect
          .poll(() => results.getByRole('status').textContent(), { message: query })
          .toMatch(/found for/)
        const hit = results.locator('li', { hasText: `In “${title}”` }).first()
        await hit.getByRole('button', { name: /Show this step in/ }).click()
        await expect
          .poll(() => article(app).locator('h2').first().textContent(), { message: query })
          .toBe(title)
        await expect.poll(() => article(app).locator('.found-step').count(), { message: query }).toBe(1)
        expect((await article(app).locator('.found-step').textContent())?.toLowerCase(), query).toContain(
          query,
        )
      }
    })
  })

  test('“If you are in danger now” shows the region’s own crisis lines in place', async () => {
    await withGuide(async (app) => {
      const { page } = app
      for (const region of ['uk', 'ca', 'other'] as const) {
        await page.getByLabel('Where you are').selectOption(region)
        await expect.poll(async () => (await app.calls('getGuide')).at(-1)?.args).toEqual([region])
        await page.getByRole('button', { name: 'If it is happening to you' }).click()
        const text = await article(app).evaluate((el) => {
          const heading = [...el.querySelectorAll('h3')].find(
            (h) => h.textContent === 'If you are in danger now',
          )
          let out = ''
          for (let n = heading?.nextElementSibling; n && n.tagName !== 'H3'; n = n.nextElementSibling) {
            out += ` ${n.textContent ?? ''}`
          }
          return out.replace(/\s+/g, ' ')
        })
        for (const line of GUIDE_FACTS[region].crisis) expect(text, `${region}: ${line}`).toContain(line)
      }
    })
  })

  test('phone numbers never wrap inside, even in a narrow window', async () => {
    const app = await openApp(browser(), { hash: 'guide', width: 400 })
    try {
      const { page } = app
      await article(app).locator('h2').first().waitFor()
      let seen = 0
      for (const region of ['uk', 'ie', 'us', 'ca', 'au']) {
        await page.getByLabel('Where you are').selectOption(region)
        await expect.poll(async () => (await app.calls('getGuide')).at(-1)?.args).toEqual([region])
        await page
          .getByRole('navigation', { name: 'Guide topics' })
          .getByRole('button', { name: /Get help in/ })
          .click()
        await expect.poll(() => article(app).locator('h2').first().textContent()).toMatch(/^Get help in/)
        const numbers = await article(app)
          .locator('.markdown .phone')
          .evaluateAll((spans) =>
            spans.map((s) => ({
              text: s.textContent ?? '',
              nowrap: getComputedStyle(s).whiteSpace === 'nowrap',
              lines: new Set([...s.getClientRects()].map((r) => Math.round(r.top))).size,
            })),
          )
        const body = (await article(app).locator('.markdown').textContent()) ?? ''
        for (const number of PHONE_NUMBERS.filter((n) => body.includes(n))) {
          const span = numbers.find((n) => n.text === number)
          expect(span, `${region}: ${number}`).toBeDefined()
          expect(span, `${region}: ${number}`).toMatchObject({ nowrap: true, lines: 1 })
          seen++
        }
      }
      expect(seen).toBeGreaterThan(10)
    } finally {
      await app.close()
    }
  })

  test('a link to a window view opens that view; a view the window lacks is left out', async () => {
    const topics = await loadGuideTopics()
    const probe = {
      id: 'zz-view-probe',
      title: 'View probe',
      order: 999,
      regions: null,
      body: 'Views:\n\n- See [your camera status](view:status).\n- Open [nowhere](view:nowhere-yet).\n- Still here.\n',
    }
    await withGuide(
      async (app) => {
        const { page } = app
        await page.getByRole('button', { name: 'View probe' }).click()
        const body = article(app).locator('.markdown')
        await expect.poll(() => body.textContent()).toContain('Still here.')
        expect(await body.textContent()).not.toContain('nowhere')
        await body.getByRole('link', { name: 'your camera status' }).click()
        await page.getByRole('heading', { level: 1, name: 'Status' }).waitFor()
        expect(page.url()).toMatch(/#status$/)

        // The shipped guide links its evidence checklist and first steps to the evidence notebook.
        for (const title of ['Evidence checklist', 'If it is happening to you']) {
          await page.getByRole('button', { name: 'Guide', exact: true }).click()
          await page
            .getByRole('navigation', { name: 'Guide topics' })
            .getByRole('button', { name: title })
            .click()
          await expect.poll(() => article(app).locator('h2').first().textContent()).toBe(title)
          await article(app).getByRole('link', { name: 'evidence notebook' }).click()
          await page.getByRole('heading', { level: 1, name: 'Evidence notebook' }).waitFor()
          expect(page.url(), title).toMatch(/#evidence$/)
        }
      },
      await fixtureConfig({ topics: [...topics, probe] }),
    )
  })
})
