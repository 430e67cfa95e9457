// Shared by the browser tests: serve the built renderer (out/renderer) to Chromium from npm, inject the
// stand-in api before the app's own script runs, and collect anything that went wrong on the page.
import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir } from 'node:fs/promises'
import { dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll } from 'vitest'
import { parse as parseYaml } from 'yaml'
import type { GuideTopic } from '../../src/shared/guide.js'
import type { StatusView, View } from '../../src/shared/ipc.js'
import { DEFAULT_SETTINGS, type Region, type Settings } from '../../src/shared/settings.js'
import type { ActivitySession } from '../../src/shared/types.js'
import type { EvidenceEntry } from '../../src/shared/evidence.js'
import type { RecordedCall, StandInConfig } from './stand-in-api.js'
import { launchChromium } from '../support/chromium.js'
import { statusView } from '../support/status.js'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const RENDERER_DIR = join(ROOT, 'out/renderer')
export const SCREENSHOT_DIR = join(ROOT, 'tests/artifacts/screenshots')
export const GUIDE_DIR = join(ROOT, 'resources/guide')
/** A made-up origin: every request to it is answered from out/renderer, every other request is refused. */
export const ORIGIN = 'http://camguard.test'
export const VIEWS: View[] = ['status', 'guide', 'activity', 'evidence', 'settings']

export function assertBuilt(): void {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(
      `${join(RENDERER_DIR, 'index.html')} is missing: build the renderer first with \`npx electron-vite build\` ` +
        '(`npm test` runs `npm run build` before the tests).',
    )
  }
}

/** One Chromium for a test file: launched before its tests (after checking the build), closed after. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    assertBuilt()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return () => {
    if (!browser)
      throw new Error('the browser is not running (useBrowser() must be called at the top of a test file)')
    return browser
  }
}

/** Chromium from npm (tests/support/chromium.ts), headless. */
export function launchBrowser(): Promise<Browser> {
  return launchChromium()
}

let standInBundle: Promise<string> | null = null

/** tests/browser/stand-in-api.ts as one classic script (IIFE), bundled in memory with vite. */
export function bundleStandIn(): Promise<string> {
  standInBundle ??= (async () => {
    const result = await build({
      configFile: false,
      root: ROOT,
      logLevel: 'silent',
      build: {
        write: false,
        // Parsed again for every page: keep it small.
        minify: true,
        emptyOutDir: false,
        lib: {
          entry: join(ROOT, 'tests/browser/stand-in-api.ts'),
          formats: ['iife'],
          name: 'CamGuardStandIn',
          fileName: () => 'stand-in.js',
        },
      },
    })
    const outputs = (Array.isArray(result) ? result : [result]) as {
      output: { type: string; code?: string }[]
    }[]
    const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk' && o.code)
    if (!chunk?.code) throw new Error('bundling tests/browser/stand-in-api.ts produced no script')
    return chunk.code
  })()
  return standInBundle
}

/** Guide topics as main would send them: through the guide loader when it is there, else read here. */
export async function loadGuideTopics(): Promise<GuideTopic[]> {
  const loader = join(ROOT, 'src/core/guide/loader.ts')
  if (existsSync(loader)) {
    const mod = (await import(pathToFileURL(loader).href)) as {
      loadGuide?: (dir: string) => Promise<GuideTopic[]>
    }
    if (mod.loadGuide) return mod.loadGuide(GUIDE_DIR)
  }
  // Fallback while the loader is not there: a few lines of front-matter parsing.
  const files = existsSync(GUIDE_DIR) ? (await readdir(GUIDE_DIR)).filter((f) => f.endsWith('.md')) : []
  const topics: GuideTopic[] = []
  for (const file of files) {
    const text = await readFile(join(GUIDE_DIR, file), 'utf8')
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text)
    if (!m) continue
    const meta = parseYaml(m[1] ?? '') as { title: string; order: number; regions?: Region[] }
    topics.push({
      id: file.replace(/\.md$/, ''),
      title: meta.title,
      order: meta.order,
      regions: meta.regions ?? null,
      body: text.slice(m[0].length),
    })
  }
  if (topics.length === 0) throw new Error(`no guide topics found in ${GUIDE_DIR}`)
  return topics.sort((a, b) => a.order - b.order)
}

// ---- Fixtures -------------------------------------------------------------------------------------

const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString()

export function unexpectedStatus(): StatusView {
  const apps = [
    { pid: 4242, name: 'zoom', exe: '/opt/zoom/zoom', evidence: 'streaming' as const },
    { pid: 5150, name: 'obs', exe: '/usr/bin/obs', evidence: 'open' as const },
  ]
  return statusView({
    snapshot: {
      state: 'on',
      checkedAt: minutesAgo(0),
      cameras: [
        {
          id: 'usb-0000:00:14.0-5',
          name: 'Integrated Webcam',
          devices: ['/dev/video0'],
          inUse: true,
          users: apps,
        },
      ],
      warnings: ['3 processes of other users could not be read'],
      detector: 'linux-proc',
      mode: 'event',
    },
    apps,
    since: minutesAgo(7),
    unexpected: true,
    reasons: ['untrusted-app', 'user-away'],
  })
}

export function offStatus(): StatusView {
  return statusView({
    snapshot: { state: 'off', checkedAt: minutesAgo(0), cameras: [], warnings: [], detector: 'linux-proc' },
  })
}

export function expectedStatus(): StatusView {
  const apps = [
    { pid: 3131, name: 'firefox', exe: '/usr/lib/firefox/firefox', evidence: 'pipewire' as const },
  ]
  return { ...offStatus(), snapshot: { ...offStatus().snapshot, state: 'on' }, apps, since: minutesAgo(22) }
}

export function unknownStatus(): StatusView {
  return {
    ...offStatus(),
    snapshot: {
      state: 'unknown',
      checkedAt: minutesAgo(0),
      cameras: [],
      warnings: [],
      error: '/proc could not be read (permission denied)',
    },
  }
}

export function fixtureSettings(): Settings {
  return { ...DEFAULT_SETTINGS, trustedApps: ['firefox', 'teams'], devicePatterns: ['/dev/video*'] }
}

export function fixtureActivity(): ActivitySession[] {
  const session = (
    id: string,
    startMin: number,
    lengthMin: number | null,
    names: string[],
    reasons: ActivitySession['reasons'],
  ): ActivitySession => ({
    id,
    start: minutesAgo(startMin),
    end: lengthMin === null ? null : minutesAgo(startMin - lengthMin),
    durationMs: lengthMin === null ? null : lengthMin * 60_000,
    apps: names.map((name, i) => ({ pid: 1000 + i, name, exe: null, evidence: 'streaming' })),
    unexpected: reasons.length > 0,
    reasons,
  })
  return [
    session('s1', 60 * 26, 45, ['teams'], []),
    session('s2', 60 * 20, 3, ['zoom'], ['untrusted-app']),
    session('s3', 60 * 9, 1, [], ['no-app', 'quiet-hours']),
    session('s4', 60 * 3, 12, ['firefox'], []),
    session('s5', 30, 6, ['obs'], ['untrusted-app', 'user-away']),
  ]
}

export function fixtureEvidence(): EvidenceEntry[] {
  const entry = (id: string, daysAgo: number, over: Partial<EvidenceEntry>): EvidenceEntry => ({
    id,
    at: minutesAgo(daysAgo * 24 * 60),
    app: '',
    accounts: [],
    links: [],
    demand: '',
    payments: [],
    notes: '',
    attachments: [],
    createdAt: minutesAgo(60),
    updatedAt: minutesAgo(60),
    ...over,
  })
  return [
    entry('1a2b3c4d', 3, {
      app: 'Snapchat',
      accounts: ['amy.k', 'Amy K'],
      links: ['https://www.snapchat.com/add/amy.k'],
      demand: 'Pay 200 GBP or I send the video to your friends',
      payments: [{ kind: 'asked', amount: '200', currency: 'GBP', method: 'gift card', reference: '' }],
      attachments: [
        {
          id: 'a1',
          name: 'chat-1.png',
          file: 'a1-chat-1.png',
          size: 183_204,
          modifiedAt: minutesAgo(3 * 24 * 60),
          addedAt: minutesAgo(60),
          sha256: 'c'.repeat(64),
        },
      ],
    }),
    entry('5e6f7a8b', 1, {
      app: 'Instagram',
      accounts: ['amy.k.2'],
      payments: [
        { kind: 'paid', amount: '50', currency: 'GBP', method: 'Steam gift card', reference: 'X12' },
      ],
      notes: 'A new account after I blocked the first one.',
    }),
  ]
}

export async function fixtureConfig(overrides: Partial<StandInConfig> = {}): Promise<StandInConfig> {
  return {
    status: unexpectedStatus(),
    settings: fixtureSettings(),
    activity: fixtureActivity(),
    topics: await loadGuideTopics(),
    defaultRegion: 'uk',
    exportPath: '/home/sam/Documents/camguard-activity',
    evidence: fixtureEvidence(),
    pickFiles: [
      { name: 'receipt.pdf', size: 52_113 },
      { name: 'chat-2.png', size: 201_887 },
    ],
    ...overrides,
  }
}

// ---- The page -------------------------------------------------------------------------------------

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

export interface AppPage {
  page: Page
  context: BrowserContext
  /** Console errors, page errors, CSP violations and refused requests, in order. */
  problems: string[]
  calls(name?: string): Promise<RecordedCall[]>
  close(): Promise<void>
}

export interface OpenOptions {
  config?: StandInConfig
  hash?: string
  colorScheme?: 'light' | 'dark'
  width?: number
  height?: number
  /** false: load the page without any window.camguard (as if the preload were missing). */
  api?: boolean
}

export async function openApp(browser: Browser, options: OpenOptions = {}): Promise<AppPage> {
  assertBuilt()
  const config = options.config ?? (await fixtureConfig())
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1000, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
    // Times are shown in the user's own locale; fix one so the tests can read them.
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  })
  const problems: string[] = []

  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url())
    if (url.origin !== ORIGIN) {
      problems.push(`request to another origin refused: ${url.href}`)
      return route.abort('blockedbyclient')
    }
    const file = resolve(
      RENDERER_DIR,
      `.${decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)}`,
    )
    if (!file.startsWith(RENDERER_DIR + '/') || !existsSync(file)) {
      problems.push(`not found: ${url.pathname}`)
      return route.fulfill({ status: 404, body: 'not found' })
    }
    return route.fulfill({
      status: 200,
      body: await readFile(file),
      headers: { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' },
    })
  })

  const page = await context.newPage()
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning')
      problems.push(`console ${msg.type()}: ${msg.text()}`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('popup', (p) => problems.push(`a popup was opened: ${p.url()}`))
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && !frame.url().startsWith(`${ORIGIN}/index.html`)) {
      problems.push(`the window navigated to ${frame.url()}`)
    }
  })
  await page.exposeFunction('__reportCspViolation', (text: string) => problems.push(text))
  // Runs before the page's own scripts, outside its CSP: the same place the preload's bridge appears.
  await page.addInitScript({
    content: [
      // The stand-in bundles its own copy of zod: keep it from probing for eval under the page's CSP.
      'globalThis.__zod_globalConfig = { ...(globalThis.__zod_globalConfig || {}), jitless: true };',
      `document.addEventListener('securitypolicyviolation', (e) => window.__reportCspViolation(` +
        '`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));',
      ...(options.api === false
        ? []
        : [await bundleStandIn(), `CamGuardStandIn.installStandIn(${JSON.stringify(config)});`]),
    ].join('\n'),
  })
  await page.goto(`${ORIGIN}/index.html${options.hash ? `#${options.hash}` : ''}`)
  try {
    await page.locator('h1').first().waitFor({ timeout: 30_000 })
  } catch (e) {
    const body = await page.evaluate(() => document.body?.innerHTML.slice(0, 500)).catch(() => '(unreadable)')
    throw new Error(`the app did not start: ${String(e)}\nproblems: ${problems.join('\n')}\nbody: ${body}`)
  }

  return {
    page,
    context,
    problems,
    async calls(name) {
      const all = await page.evaluate(() => window.__camguardStandIn?.calls ?? [])
      return name ? all.filter((c) => c.name === name) : all
    },
    close: () => context.close(),
  }
}

/** Clicks a nav button and waits for that view's heading. */
export async function showView(app: AppPage, view: View): Promise<void> {
  const label = {
    status: 'Status',
    guide: 'Guide',
    activity: 'Activity',
    evidence: 'Evidence',
    settings: 'Settings',
  }[view]
  await app.page
    .getByRole('navigation', { name: 'CamGuard sections' })
    .getByRole('button', { name: label })
    .click()
  await app.page.locator(`button[aria-current="page"]`, { hasText: label }).waitFor()
  await waitForViewReady(app.page, view)
}

const VIEW_HEADINGS: Record<View, string> = {
  status: 'Status',
  guide: 'Guide',
  activity: 'Activity',
  evidence: 'Evidence notebook',
  settings: 'Settings',
}

/** The view's heading is there and its data has arrived. */
export async function waitForViewReady(page: Page, view: View): Promise<void> {
  await page.getByRole('heading', { level: 1, name: VIEW_HEADINGS[view], exact: true }).waitFor()
  const ready: Record<View, string> = {
    status: '.state-card:not(.state-loading)',
    guide: 'article.topic h2',
    activity: '.filters select:not([disabled])',
    evidence: '.entries-count',
    settings: 'form.setting',
  }
  await page.locator(ready[view]).first().waitFor()
}

/** The three ways of the quick exit, each as a person would do it: the button, Escape, Shift three times. */
export function quickExitWays(page: Page): [string, () => Promise<void>][] {
  return [
    ['the button', () => page.getByRole('button', { name: 'Hide now' }).click()],
    ['Escape', () => page.keyboard.press('Escape')],
    [
      'Shift three times',
      async () => {
        for (let i = 0; i < 3; i++) await page.keyboard.press('Shift')
      },
    ],
  ]
}

export async function screenshotDir(): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  return SCREENSHOT_DIR
}
