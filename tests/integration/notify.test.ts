// Real desktop notifications end to end: `camguard watch` (the built command) sees a real process
// open and map a test device, and sends its alert through notify-send over a real D-Bus session bus
// to a real notification server (dunst under Xvfb); dbus-monitor records what arrived.
// Needs xvfb, xauth, dbus, dunst and libnotify-bin (.ci/run installs them); fails saying so if not.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startNotifySession, type NotifyCall, type NotifySession } from '../support/notify-session.js'
import { ROOT, makeDevice, runCli, startHolder, startWatch, type Holder } from '../support/processes.js'

const CRITICAL = 2
const NORMAL = 1

let session: NotifySession
const cleanups: (() => Promise<unknown> | void)[] = []

beforeAll(async () => {
  // `npm test` builds first; a lone run of this file builds the command itself.
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A data dir, a test device, and `camguard watch --json` with notifications on, inside the session. */
async function scenario(settings: [string, string][] = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'camguard-notify-data-'))
  const dev = makeDevice()
  cleanups.push(() => {
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(dev.dir, { recursive: true, force: true })
  })
  const env = { ...session.env, CAMGUARD_DATA_DIR: dataDir }
  for (const [key, value] of settings) {
    const r = await runCli(['config', 'set', key, value], env)
    expect(r.code, r.stderr).toBe(0)
  }
  const watch = startWatch(['--json', '--interval', '200', '--device', dev.pattern], env)
  cleanups.push(async () => {
    watch.child.kill('SIGINT')
    await watch.exit
  })
  await watch.event('ready')
  const holders: Holder[] = []
  cleanups.push(async () => {
    for (const h of holders) await h.stop()
  })
  return {
    env,
    watch,
    /** Starts a program named `name` that maps the device, and waits until watch has seen it. */
    async start(name: string) {
      const from = watch.lines.length
      // A program file of that name (the same one each time): what CamGuard trusts is the program.
      const h = await startHolder(dev.device, 'map', { exe: name, exeDir: dev.dir })
      holders.push(h)
      const on = await watch.event<{
        unexpected: boolean
        reasons: string[]
        apps: { name: string; exe: string | null }[]
      }>('camera-on', 30_000, from)
      return { holder: h, on }
    },
    /** Ends the holder and waits for camera-off, then past the 2 s in which a flicker is merged. */
    async stop(h: Holder) {
      const from = watch.lines.length
      await h.stop()
      await watch.event('camera-off', 30_000, from)
      await sleep(2500)
    },
  }
}

const fromCamGuard = (c: NotifyCall) => c.appName === 'CamGuard'

describe.skipIf(process.platform !== 'linux')(
  'desktop notifications through a real D-Bus session',
  { timeout: 180_000 },
  () => {
    it('sends one critical notification naming an untrusted app, and none for it once trusted', async () => {
      const before = session.calls().filter(fromCamGuard).length
      const s = await scenario()

      const first = await s.start('peekaboo')
      expect(first.on).toMatchObject({ unexpected: true, reasons: ['untrusted-app'] })
      const [alert] = await session
        .waitFor(
          (c) => fromCamGuard(c) && c.summary.includes('peekaboo'),
          'CamGuard notification about peekaboo',
        )
        .catch((e: Error) => {
          throw new Error(`${e.message}\nwatch said on stderr:\n${s.watch.stderr}`)
        })
      // critical, and it stays until dismissed (a timeout of 0: dunst honours the client's timeout)
      expect(alert).toMatchObject({ appName: 'CamGuard', urgency: CRITICAL, expireTimeout: 0 })
      expect(alert!.summary).toBe('Your camera turned on: peekaboo')
      expect(alert!.body).toContain('peekaboo is using your camera')
      expect(alert!.body).toContain(`camguard stop ${first.holder.pid}`)
      await s.stop(first.holder)
      await session.settle()
      expect(session.calls().filter(fromCamGuard)).toHaveLength(before + 1)

      const trust = await runCli(['trust', 'peekaboo'], s.env)
      expect(trust).toMatchObject({ code: 0 })
      expect(trust.stdout).toContain(`Trusted peekaboo: ${first.on.apps[0]!.exe}`)
      // The running watch reads the changed settings file; give the file watcher a moment.
      await sleep(1000)

      const second = await s.start('peekaboo')
      expect(second.on).toMatchObject({ unexpected: false, reasons: [] })
      await s.stop(second.holder)
      await session.settle()
      expect(session.calls().filter(fromCamGuard)).toHaveLength(before + 1)
    })

    it('escapes a hostile name in the body: the markup shows as typed and the commands stay whole', async () => {
      const s = await scenario()
      const name = '<a href=x>zz' // a link tag: a markup-reading server would hide the name
      const { holder } = await s.start(name)
      const [alert] = await session.waitFor(
        (c) => fromCamGuard(c) && c.summary.endsWith('zz'),
        'CamGuard notification about the hostile name',
      )
      expect(alert!.summary).toBe(`Your camera turned on: ${name}`) // the summary is plain text
      expect(alert!.body).toContain('&lt;a href=x&gt;zz is using your camera.')
      expect(alert!.body).not.toContain('<')
      expect(alert!.body).toContain(`Stop it: camguard stop ${holder.pid}`)
      // By the program's path (here a file named like the hostile name), quoted for the shell and
      // escaped for the markup-reading server.
      expect(alert!.body).toMatch(/^Trust it: camguard trust &#39;\/\S+\/&lt;a href=x&gt;zz&#39;$/m)
      await s.stop(holder)
    })

    it('sends a still-on reminder (normal urgency) when the camera stays on', async () => {
      const s = await scenario([['trustedApps', 'longcall']])
      const { holder, on } = await s.start('longcall')
      expect(on).toMatchObject({ unexpected: false })
      // Reminder settings are whole minutes: a reminder armed by hand comes in 3 s (0.05 minutes).
      const armed = await runCli(['remind', '0.05'], s.env)
      expect(armed.code, armed.stderr).toBe(0)
      const stillOn = await s.watch.event<{ onForMs: number; apps: { name: string }[] }>('still-on', 30_000)
      expect(stillOn.onForMs).toBeGreaterThanOrEqual(3000)
      expect(stillOn.apps.map((a) => a.name)).toEqual(['longcall'])
      const reminders = await session.waitFor(
        (c) => fromCamGuard(c) && c.summary === 'Your camera is still on' && c.body.includes('longcall'),
        'still-on reminder about longcall',
        30_000,
      )
      for (const r of reminders) expect(r.urgency).toBe(NORMAL)
      expect(reminders[0]!.body).toContain('camguard snooze 30')
      // a trusted app: reminders only, no critical alert
      expect(
        session
          .calls()
          .filter((c) => fromCamGuard(c) && c.body.includes('longcall') && c.urgency === CRITICAL),
      ).toEqual([])
      await s.stop(holder)
    })
  },
)
