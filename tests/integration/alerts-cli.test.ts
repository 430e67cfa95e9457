// The alert commands as real processes: trust/untrust/trusted, remind and snooze reaching a
// running `camguard watch`, a watch picking up a trust made while it runs, and camguard stop.
// Real /proc scanning of a real process that maps a test device; no desktop notifications here
// (--no-notify; tests/integration/notify.test.ts covers those).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { controlSocket } from '../../src/core/control.js'
import { ROOT, makeDevice, runCli, startHolder, startWatch, type Holder } from '../support/processes.js'

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

beforeAll(() => {
  // `npm test` builds first; a lone run of this file builds the command itself.
  if (!existsSync(join(ROOT, 'dist/cli/index.js')))
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.cli.json'],
      {
        cwd: ROOT,
      },
    )
}, 130_000)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function dataDir(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-alerts-cli-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return { dir, env: { CAMGUARD_DATA_DIR: dir } }
}

function device() {
  const dev = makeDevice()
  cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
  return dev
}

async function holder(dev: string, options: { as?: string; ignoreTerm?: boolean } = {}): Promise<Holder> {
  const h = await startHolder(dev, 'map', options)
  cleanups.push(() => h.stop())
  return h
}

/** `camguard watch --json --no-notify`, ready to take control requests. */
async function watch(env: NodeJS.ProcessEnv, dir: string, pattern: string) {
  const w = startWatch(['--json', '--no-notify', '--interval', '200', '--device', pattern], env)
  cleanups.push(async () => {
    w.child.kill('SIGINT')
    await w.exit
  })
  await w.event('ready', 30_000)
  // The control socket opens just after the first check.
  for (let i = 0; i < 300 && !existsSync(controlSocket(dir) ?? ''); i++) await sleep(100)
  return w
}

describe('camguard trust, untrust, trusted', { timeout: 180_000 }, () => {
  it('change and list the trusted apps, matching names case-insensitively', async () => {
    const { dir, env } = dataDir()
    expect(await runCli(['trusted'], env)).toMatchObject({
      code: 0,
      stdout: 'No trusted apps yet. Every app that turns the camera on gets an alert.\n',
    })
    expect(await runCli(['trust', 'zoom'], env)).toMatchObject({ code: 0, stdout: 'zoom is now trusted.\n' })
    expect(await runCli(['trust', '/usr/bin/cheese'], env)).toMatchObject({ code: 0 })
    expect(await runCli(['trust', 'ZOOM'], env)).toMatchObject({
      code: 0,
      stdout: 'ZOOM was already trusted.\n',
    })
    expect(await runCli(['trusted'], env)).toMatchObject({ code: 0, stdout: 'zoom\n/usr/bin/cheese\n' })
    expect(JSON.parse((await runCli(['trusted', '--json'], env)).stdout)).toEqual(['zoom', '/usr/bin/cheese'])
    // the same setting the app and `config` read
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).trustedApps).toEqual([
      'zoom',
      '/usr/bin/cheese',
    ])
    expect(await runCli(['untrust', 'Zoom'], env)).toMatchObject({
      code: 0,
      stdout: 'Zoom is no longer trusted.\n',
    })
    expect(await runCli(['untrust', 'zoom'], env)).toMatchObject({
      code: 0,
      stdout: 'zoom was not on the trusted list.\n',
    })
    expect(JSON.parse((await runCli(['config', 'get', 'trustedApps'], env)).stdout)).toEqual([
      '/usr/bin/cheese',
    ])
  })

  it('refuse an empty name as a usage error', async () => {
    const { env } = dataDir()
    const r = await runCli(['trust', '  '], env)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^camguard: .*camguard trust zoom/)
  })
})

describe('camguard remind and snooze', { timeout: 180_000 }, () => {
  it('say plainly that no monitor is running, and exit 1', async () => {
    const { env } = dataDir()
    for (const args of [['remind', '5'], ['snooze', '10'], ['snooze']]) {
      const r = await runCli(args, env)
      expect(r.code).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr.trim()).toBe(
        'camguard: no CamGuard monitor is running. Start one with "camguard watch" (or open the app).',
      )
    }
  })

  it('reach a running watch and say so; a reminder armed by hand fires as a still-on event', async () => {
    const { dir, env } = dataDir()
    const dev = device()
    const w = await watch(env, dir, dev.pattern)

    const off = await runCli(['remind', '5'], env)
    expect(off.code).toBe(1)
    expect(off.stderr).toContain('The camera is off, so there is nothing to remind you about.')

    const from = w.lines.length
    await holder(dev.device, { as: 'meeting' })
    await w.event('camera-on', 30_000, from)

    const remind = await runCli(['remind', '5'], env)
    expect(remind.code, remind.stderr).toBe(0)
    expect(remind.stdout).toMatch(/^CamGuard will remind you at .+ if the camera is still on\.\n$/)

    const snooze = await runCli(['snooze', '10'], env)
    expect(snooze).toMatchObject({ code: 0, stdout: 'Reminders are snoozed for 10 minutes.\n' })
    const untilOff = await runCli(['snooze'], env)
    expect(untilOff).toMatchObject({ code: 0, stdout: 'Reminders are snoozed until the camera goes off.\n' })

    // 0.05 minutes = 3 s; fires although reminders are snoozed (it was asked for by hand)
    const soon = w.lines.length
    expect((await runCli(['remind', '0.05'], env)).code).toBe(0)
    const stillOn = await w.event<{ armed?: boolean; apps: { name: string }[] }>('still-on', 30_000, soon)
    expect(stillOn.armed).toBe(true)
    expect(stillOn.apps.map((a) => a.name)).toEqual(['meeting'])
  })
})

describe('camguard watch and camguard trust', { timeout: 180_000 }, () => {
  it('a running watch picks up a trust at once: the next activation of that app is not unexpected', async () => {
    const { dir, env } = dataDir()
    const dev = device()
    const w = await watch(env, dir, dev.pattern)

    const session = async () => {
      const from = w.lines.length
      const h = await startHolder(dev.device, 'map', { as: 'webcamtoy' })
      try {
        return await w.event<{ unexpected: boolean; reasons: string[] }>('camera-on', 30_000, from)
      } finally {
        const offFrom = w.lines.length
        await h.stop()
        await w.event('camera-off', 30_000, offFrom)
        await sleep(2500) // past the 2 s in which off-and-on-again is one session
      }
    }

    expect(await session()).toMatchObject({ unexpected: true, reasons: ['untrusted-app'] })
    expect((await runCli(['trust', 'webcamtoy'], env)).code).toBe(0)
    await sleep(1000) // the watch notices the settings file change
    expect(await session()).toMatchObject({ unexpected: false, reasons: [] })
    expect((await runCli(['untrust', 'webcamtoy'], env)).code).toBe(0)
    await sleep(1000)
    expect(await session()).toMatchObject({ unexpected: true, reasons: ['untrusted-app'] })

    w.child.kill('SIGINT')
    expect(await w.exit).toBe(0)
  })
})

describe.skipIf(process.platform !== 'linux')('camguard stop', { timeout: 180_000 }, () => {
  it('forces an app that ignores SIGTERM to end, and says so', async () => {
    const dev = device()
    const h = await holder(dev.device, { ignoreTerm: true })
    const exited = new Promise((r) => h.child.once('exit', r))
    const r = await runCli(['stop', String(h.pid)])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe(`Process ${h.pid} did not close when asked, so it was forced to end.\n`)
    await exited
    expect(h.child.signalCode).toBe('SIGKILL')
  })

  it('refuses to stop init, with exit 1', async () => {
    const r = await runCli(['stop', '1'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Process 1 is part of the system and cannot be stopped.')
  })
})
