// End-to-end tests through Playwright's _electron. They need a runnable Electron binary; where there is none
// (as on the machines that build this project) they are skipped, and the reason is printed.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, type ElectronApplication } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '..', '..')
const MAIN = join(ROOT, 'out', 'main', 'index.js')

function findElectron(): { path: string } | { skip: string } {
  let path: string
  try {
    path = createRequire(import.meta.url)('electron') as unknown as string
  } catch (e) {
    return { skip: `the electron package cannot be loaded (${String(e).split('\n')[0]})` }
  }
  if (typeof path !== 'string' || !existsSync(path))
    return { skip: 'no Electron binary is installed (node_modules/electron has no dist/)' }
  const v = spawnSync(path, ['--version'], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  })
  if (v.status !== 0)
    return {
      skip: `the Electron binary at ${path} does not run (${(v.stderr || v.error?.message || '').trim().split('\n')[0]})`,
    }
  if (!existsSync(MAIN)) return { skip: `${MAIN} is missing; run \`npm run build\` first` }
  return { path }
}

const found = findElectron()
if ('skip' in found) console.log(`Electron end-to-end tests skipped: ${found.skip}.`)

describe.skipIf('skip' in found)('CamGuard in a real Electron', () => {
  let tmp: string
  let app: ElectronApplication
  const env = () =>
    ({
      ...process.env,
      CAMGUARD_DATA_DIR: join(tmp, 'data'),
      XDG_CONFIG_HOME: join(tmp, 'config'),
    }) as Record<string, string>

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'camguard-e2e-'))
    writeFileSync(join(tmp, 'video0'), '')
    mkdirSync(join(tmp, 'data'))
    // A test device pattern, so the real detector watches a file the test controls.
    writeFileSync(
      join(tmp, 'data', 'settings.json'),
      JSON.stringify({ devicePatterns: [join(tmp, 'video*')] }),
    )
    app = await electron.launch({
      executablePath: (found as { path: string }).path,
      args: [ROOT],
      env: env(),
    })
  })
  afterAll(async () => {
    await app?.close()
    rmSync(tmp, { recursive: true, force: true })
  })

  it('starts in the tray with no window', async () => {
    expect(app.windows()).toHaveLength(0)
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(0)
  })

  it('opens the guide from the tray menu in a secure window', async () => {
    const opened = app.waitForEvent('window')
    // The tray's menu is not reachable from outside; "Open guide" is the same call as a second launch + view.
    await app.evaluate(({ app: a }) => a.emit('second-instance'))
    const page = await opened
    await page.waitForLoadState('domcontentloaded')
    expect(page.url()).toMatch(/^app:\/\/camguard\//)
    // No Node in the page, and only the bridge object.
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
    expect(
      await page.evaluate(() => Object.keys((globalThis as unknown as { camguard: object }).camguard).length),
    ).toBeGreaterThan(10)
  })

  it('a second instance exits 0', () => {
    const second = spawnSync((found as { path: string }).path, [ROOT], { env: env(), timeout: 30_000 })
    expect(second.status).toBe(0)
  })
})
