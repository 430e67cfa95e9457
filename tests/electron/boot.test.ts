// Boots the BUILT main bundle (out/main/index.js, from `npm run build`) under Node with a recording stand-in for
// the 'electron' module. It catches what typechecking cannot: bundling, ESM/CJS and start-up ordering mistakes.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { controlSocket } from '../../src/core/control.js'
import { IPC } from '../../src/shared/ipc.js'

const ROOT = resolve(import.meta.dirname, '..', '..')
const MAIN = join(ROOT, 'out', 'main', 'index.js')
const PRELOAD = join(ROOT, 'out', 'preload', 'index.cjs')
const REGISTER = join(ROOT, 'tests', 'electron', 'register-fake-electron.mjs')

interface MenuItem {
  label?: string
  type?: string
  enabled?: boolean
  checked?: boolean
  clickable: boolean
  submenu?: MenuItem[]
}
interface BootRecord {
  calls: unknown[][]
  paths: { userData?: string }
  schemes: { scheme: string; privileges: { standard?: boolean; secure?: boolean } }[]
  protocols: string[]
  ipcHandle: string[]
  ipcOn: string[]
  permissionHandlers: string[]
  windows: { options: { webPreferences: { [k: string]: unknown } }; url: string; sent: unknown[][] }[]
  trays: { image: string; tooltip: string; menus: MenuItem[][] }[]
  errors: { title: string; content: string }[]
  webContentsGuards: { willNavigate: number; windowOpenHandler: boolean }[]
  phases: {
    beforeOpen?: { windows: number }
    afterOpen?: { windows: number }
    status?: { snapshot: { state: string; detector?: string; warnings?: string[] } }
    settings?: { devicePatterns: string[] }
    guide?: { topics: unknown[]; region: string }
    evidence?: { entries: unknown[]; damaged: unknown[] }
    evidenceRefused?: string
    foreign?: string
    page?: { status: number; csp: string } | null
  }
  notifications: { title?: string; body?: string }[]
  exitCode: number | null
}

let tmp: string
function boot(env: NodeJS.ProcessEnv): { code: number | null; stderr: string; rec: BootRecord } {
  const record = join(tmp, `record-${Math.random().toString(36).slice(2)}.json`)
  const r = spawnSync(process.execPath, ['--import', REGISTER, MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      FAKE_APP_PATH: ROOT,
      FAKE_ELECTRON_RECORD: record,
      ELECTRON_RENDERER_URL: '',
      ...env,
    },
    encoding: 'utf8',
    timeout: 30_000,
  })
  if (!existsSync(record)) throw new Error(`no record written; exit ${r.status}\n${r.stderr}`)
  return { code: r.status, stderr: r.stderr, rec: JSON.parse(readFileSync(record, 'utf8')) as BootRecord }
}

const built = existsSync(MAIN) && existsSync(PRELOAD)
if (!built) console.log(`boot test skipped: ${MAIN} is missing; run \`npm run build\` first (npm test does).`)

describe.skipIf(!built)('built main process boots against a stand-in electron', () => {
  let run: ReturnType<typeof boot>
  let data: string
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'camguard-boot-'))
    data = join(tmp, 'data')
    mkdirSync(data)
    // A test device pattern: the real Linux detector scans for files the test controls, not /dev/video*.
    writeFileSync(join(tmp, 'video0'), '')
    writeFileSync(join(data, 'settings.json'), JSON.stringify({ devicePatterns: [join(tmp, 'video*')] }))
    run = boot({
      CAMGUARD_DATA_DIR: data,
      XDG_CONFIG_HOME: join(tmp, 'config'),
      FAKE_ELECTRON_SCENARIO: 'boot',
    })
  })
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('starts and quits cleanly', () => {
    expect(run.rec.errors, run.stderr).toEqual([])
    expect(run.stderr).not.toMatch(/could not start|failed|Error/)
    expect(run.code).toBe(0)
    // The monitor lock and the control socket go with it.
    expect(existsSync(join(data, 'monitor.lock'))).toBe(false)
    expect(controlSocket(data)).not.toBeNull() // the app had one
    expect(existsSync(controlSocket(data)!)).toBe(false)
  })

  it('uses the shared data directory, settings.json with mode 0600', () => {
    expect(run.rec.paths.userData).toBe(data)
    expect(statSync(join(data, 'settings.json')).mode & 0o777).toBe(0o600)
    expect(run.rec.phases.settings?.devicePatterns).toEqual([join(tmp, 'video*')])
    // The engine ran the real detector on the test device, which nobody has open.
    expect(run.rec.phases.status?.snapshot).toMatchObject({ state: 'off', detector: 'linux-proc' })
  })

  it('creates the tray with the full menu', () => {
    expect(run.rec.trays).toHaveLength(1)
    const tray = run.rec.trays[0]!
    expect(tray.image).toMatch(/resources\/icons\/camera-\w+-32\.png$/)
    expect(tray.tooltip).toMatch(/^CamGuard — /)
    const menu = tray.menus.at(-1)!
    const labels = menu.filter((i) => i.type !== 'separator').map((i) => i.label)
    // The state of each watched device first: the camera, then the microphone (watched by default).
    expect(labels[0]).toMatch(/^Camera /)
    expect(labels[1]).toMatch(/^Microphone /)
    expect(labels.slice(2)).toEqual([
      'Remind me if the camera is still on',
      'Snooze reminders',
      'Pause alerts for 1 hour',
      'Open guide',
      'Activity',
      'Settings',
      'Start at login',
      'Quit',
    ])
    expect(
      menu.find((i) => i.label === 'Remind me if the camera is still on')?.submenu?.map((i) => i.label),
    ).toEqual(['In 5 minutes', 'In 15 minutes', 'In 30 minutes'])
    expect(menu.find((i) => i.label === 'Start at login')).toMatchObject({ type: 'checkbox', checked: true })
  })

  it('registers every IPC handler of the contract with ipcMain.handle', () => {
    expect([...run.rec.ipcHandle].sort()).toEqual(
      Object.values(IPC)
        .map((c) => c.channel)
        .sort(),
    )
    // electron-store's own sync channel (returns userData path and version) is the only ipcMain.on; the preload
    // exposes no ipcRenderer, so no page can call it.
    expect(run.rec.ipcOn.filter((c) => c !== 'electron-store-get-data')).toEqual([])
    expect(run.rec.phases.foreign).toMatch(/not one of the app's own pages/)
    expect(run.rec.phases.guide?.topics.length).toBeGreaterThan(0)
    // The evidence notebook answers from the data directory, and refuses a payload that breaks the contract.
    expect(run.rec.phases.evidence).toEqual({ entries: [], damaged: [] })
    expect(run.rec.phases.evidenceRefused).toMatch(/CamGuard refused deleteAllEvidence: invalid arguments/)
  })

  it('serves the app:// scheme with a strict CSP and denies every permission', () => {
    expect(run.rec.schemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ])
    expect(run.rec.protocols).toEqual(['app'])
    expect(run.rec.phases.page?.status).toBe(200)
    expect(run.rec.phases.page?.csp).toContain("default-src 'none'")
    expect([...run.rec.permissionHandlers].sort()).toEqual([
      'setDevicePermissionHandler',
      'setPermissionCheckHandler',
      'setPermissionRequestHandler',
    ])
  })

  it('creates no window until asked; "Open guide" opens one secure window on the guide', () => {
    expect(run.rec.phases.beforeOpen).toEqual({ windows: 0 })
    expect(run.rec.phases.afterOpen).toEqual({ windows: 1 })
    for (const w of run.rec.windows) {
      expect(w.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        preload: PRELOAD,
      })
      expect(existsSync(w.options.webPreferences.preload as string)).toBe(true)
    }
    expect(run.rec.windows[0]!.url).toBe('app://camguard/index.html#guide')
    expect(run.rec.windows[0]!.sent).toContainEqual(['camguard:push-navigate', 'guide'])
    expect(run.rec.webContentsGuards).toEqual([{ willNavigate: 1, windowOpenHandler: true }])
  })

  it('exits 0 without starting anything when another instance holds the lock', () => {
    const second = boot({ CAMGUARD_DATA_DIR: data, FAKE_SINGLE_INSTANCE_LOCK: '0' })
    expect(second.code).toBe(0)
    expect(second.rec.trays).toEqual([])
    expect(second.rec.ipcHandle).toEqual([])
  })
})

describe.skipIf(!built)('built main process with a history it cannot write', () => {
  it('keeps watching, says once what failed and where, lists it in the status, and leaves no lock or socket', () => {
    const dir = mkdtempSync(join(tmpdir(), 'camguard-boot-faults-'))
    try {
      const data = join(dir, 'data')
      mkdirSync(join(data, 'activity.jsonl'), { recursive: true })
      writeFileSync(join(dir, 'video0'), '')
      writeFileSync(join(data, 'settings.json'), JSON.stringify({ devicePatterns: [join(dir, 'video*')] }))
      tmp = dir
      const r = boot({
        CAMGUARD_DATA_DIR: data,
        XDG_CONFIG_HOME: join(dir, 'config'),
        FAKE_ELECTRON_SCENARIO: 'boot',
      })
      expect(r.rec.errors, r.stderr).toEqual([])
      expect(r.code).toBe(0)
      expect(r.rec.phases.status?.snapshot.state).toBe('off')
      const problem = (n: { body?: string }) => n.body?.includes('could not write its activity history')
      expect(r.rec.notifications.filter(problem)).toHaveLength(1)
      expect(r.rec.notifications.find(problem)!.body).toContain(join(data, 'activity.jsonl'))
      expect(r.rec.phases.status?.snapshot.warnings?.some((w) => w.includes('activity.jsonl'))).toBe(true)
      expect(existsSync(join(data, 'monitor.lock'))).toBe(false)
      expect(controlSocket(data)).not.toBeNull() // the app had one
      expect(existsSync(controlSocket(data)!)).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe.skipIf(!built)('built main process asked to end by a signal', () => {
  it('quits through its clean-up: the lock and the control socket go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camguard-boot-signal-'))
    try {
      const data = join(dir, 'data')
      mkdirSync(data)
      writeFileSync(join(dir, 'video0'), '')
      writeFileSync(join(data, 'settings.json'), JSON.stringify({ devicePatterns: [join(dir, 'video*')] }))
      const child = spawn(process.execPath, ['--import', REGISTER, MAIN], {
        cwd: ROOT,
        env: {
          ...process.env,
          FAKE_APP_PATH: ROOT,
          FAKE_ELECTRON_RECORD: join(dir, 'record.json'),
          ELECTRON_RENDERER_URL: '',
          CAMGUARD_DATA_DIR: data,
        },
        stdio: 'ignore',
      })
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
      const owned = () => [join(data, 'monitor.lock'), controlSocket(data) ?? ''].filter((f) => existsSync(f))
      for (let i = 0; i < 300 && owned().length < 2; i++) await new Promise((r) => setTimeout(r, 50))
      expect(owned()).toHaveLength(2)
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(owned()).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe.skipIf(!built)('built preload', () => {
  it('is one CommonJS file that requires only electron', () => {
    const code = readFileSync(PRELOAD, 'utf8')
    const requires = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
    expect([...new Set(requires)]).toEqual(['electron'])
    expect(code).not.toMatch(/^\s*(import|export)\s/m)
    expect(code).toContain('exposeInMainWorld("camguard"')
  })
})
