// The microphone's desktop notifications end to end: `camguard watch` sees a real process map a
// test capture node (--mic-device) and sends its alert through notify-send over a real D-Bus session
// bus to a real notification server (dunst under Xvfb); dbus-monitor records what arrived.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startNotifySession, type NotifyCall, type NotifySession } from '../support/notify-session.js'
import { ROOT, runCli, startHolder, startWatch } from '../support/processes.js'

const CRITICAL = 2
const NORMAL = 1

let session: NotifySession
const cleanups: (() => Promise<unknown> | void)[] = []

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/cli/index.js')))
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.cli.json'],
      {
        cwd: ROOT,
      },
    )
  session = await startNotifySession()
}, 60_000)

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

afterAll(async () => {
  await session?.close()
})

const fromCamGuard = (c: NotifyCall) => c.appName === 'CamGuard'

async function micScenario(settings: [string, string][]) {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-snd-'))
  const node = join(dir, 'pcmC0D0c')
  writeFileSync(node, Buffer.alloc(8192))
  const env = { ...session.env, CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'camguard-notify-data-')) }
  for (const [key, value] of settings) expect((await runCli(['config', 'set', key, value], env)).code).toBe(0)
  const args = [
    '--json',
    '--interval',
    '200',
    '--device',
    '/nonexistent/video*',
    '--mic-device',
    join(dir, 'pcmC*D*c'),
  ]
  const watch = startWatch(args, env)
  cleanups.push(async () => {
    watch.child.kill('SIGINT')
    await watch.exit
  })
  await watch.event('ready')
  return { node, env, watch }
}

describe.skipIf(process.platform !== 'linux')(
  'microphone notifications through a real D-Bus session',
  { timeout: 180_000 },
  () => {
    it('an app trusted for the camera only, recording: one critical notification that says microphone', async () => {
      // Trust is per device: eavesdrop may use the camera, not the microphone.
      const s = await micScenario([['trustedApps', '[{"exe":null,"name":"eavesdrop","kinds":["camera"]}]']])
      const h = await startHolder(s.node, 'map', { as: 'eavesdrop' })
      cleanups.push(() => h.stop())
      expect(await s.watch.event('microphone-on', 30_000)).toMatchObject({ unexpected: true })
      const [alert] = await session.waitFor(
        (c) => fromCamGuard(c) && c.summary.includes('eavesdrop'),
        'CamGuard notification about eavesdrop',
      )
      expect(alert).toMatchObject({ urgency: CRITICAL, expireTimeout: 0 })
      expect(alert!.summary).toBe('Your microphone turned on: eavesdrop')
      expect(alert!.body).toContain('eavesdrop is using your microphone')
      expect(alert!.body).not.toMatch(/camera/i)
      expect(alert!.body).toContain(`camguard stop ${h.pid}`)
    })

    it('an app trusted for the microphone (notifyFor all) gets "Microphone on: <app>", and a reminder says microphone', async () => {
      const s = await micScenario([
        ['notifyFor', 'all'],
        ['trustedApps', '[{"exe":null,"name":"podcaster","kinds":["microphone"]}]'],
      ])
      // Trusted for the microphone (by name): expected.
      const h = await startHolder(s.node, 'map', { as: 'podcaster' })
      cleanups.push(() => h.stop())
      expect(await s.watch.event('microphone-on', 30_000)).toMatchObject({ unexpected: false })
      const [alert] = await session.waitFor(
        (c) => fromCamGuard(c) && c.summary.includes('podcaster'),
        'CamGuard notification about podcaster',
      )
      expect(alert).toMatchObject({ summary: 'Microphone on: podcaster', urgency: NORMAL })
      expect(alert!.body.split('\n')[0]).toBe('podcaster is using your microphone.')
      // A reminder asked for by hand, in 3 seconds.
      expect((await runCli(['remind', '0.05'], s.env)).code).toBe(0)
      const [reminder] = await session.waitFor(
        (c) => fromCamGuard(c) && c.summary === 'Your microphone is still on',
        'the still-on reminder about the microphone',
        30_000,
      )
      expect(reminder!.urgency).toBe(NORMAL)
      expect(reminder!.body).toContain('podcaster')
      expect(reminder!.body).not.toMatch(/camera/i)
    })
  },
)
