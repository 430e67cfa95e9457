// The alert commands as real processes: trust/untrust/trusted, remind and snooze reaching a
// running `camguard watch`, a watch picking up a trust made while it runs, and camguard stop.
// Real /proc scanning of a real process that maps a test device; no desktop notifications here
// (--no-notify; tests/integration/notify.test.ts covers those).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { controlSocket } from '../../src/core/control.js'
import { ROOT, makeDevice, runCli, startHolder, startWatch, type Holder } from '../support/processes.js'
import { sleepAs } from '../support/impostors.js'

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
  it('change and list the trusted apps: program files, and older name-only entries shown as weaker', async () => {
    const { dir, env } = dataDir()
    expect(await runCli(['trusted'], env)).toMatchObject({
      code: 0,
      stdout: 'No trusted apps yet. Every app that turns the camera on gets an alert.\n',
    })
    const cheese = join(mkdtempSync(join(tmpdir(), 'camguard-app-')), 'cheese')
    writeFileSync(cheese, '#!/bin/sh\n', { mode: 0o755 })
    const entry = { exe: cheese, name: 'cheese', kinds: ['camera'] }
    expect(await runCli(['trust', cheese], env)).toMatchObject({
      code: 0,
      stdout: `Trusted cheese: ${cheese} (camera only).\n`,
    })
    expect((await runCli(['trust', cheese], env)).code).toBe(0) // once is enough: still one entry
    // An older settings file names apps only: they load, and are listed as weaker.
    const older = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { trustedApps: unknown[] }
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ ...older, trustedApps: [...older.trustedApps, 'zoom'] }),
    )
    const listed = (await runCli(['trusted'], env)).stdout.split('\n')
    expect(listed.slice(0, 2)).toEqual([
      `cheese: ${cheese} (camera only)`,
      'zoom: by name only (weaker) (camera only)',
    ])
    expect(listed[2]).toMatch(/by name only \(weaker\): any program that calls itself this name is trusted/)
    expect(JSON.parse((await runCli(['trusted', '--json'], env)).stdout)).toEqual([
      entry,
      { exe: null, name: 'zoom', kinds: ['camera'] },
    ])
    expect(await runCli(['untrust', 'Zoom'], env)).toMatchObject({
      code: 0,
      stdout: 'No longer trusted: zoom: by name only (weaker) (camera only).\n',
    })
    expect(await runCli(['untrust', 'zoom'], env)).toMatchObject({
      code: 0,
      stdout: 'zoom was not on the trusted list.\n',
    })
    // the same setting the app and `config` read
    expect(JSON.parse((await runCli(['config', 'get', 'trustedApps'], env)).stdout)).toEqual([entry])
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
    expect(remind.stdout).toMatch(
      /^CamGuard will remind you in 5 minutes \(at .+\) if the camera is still on\.\n$/,
    )

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

    // The same program file each time: trust follows the program, not its name.
    const appDir = mkdtempSync(join(tmpdir(), 'camguard-app-'))
    const session = async (during?: () => Promise<void>) => {
      const from = w.lines.length
      const h = await sleepAs('webcamtoy', dev.device, appDir)
      try {
        const on = await w.event<{ unexpected: boolean; reasons: string[] }>('camera-on', 30_000, from)
        await during?.()
        return on
      } finally {
        const offFrom = w.lines.length
        await h.stop()
        await w.event('camera-off', 30_000, offFrom)
        await sleep(2500) // past the 2 s in which off-and-on-again is one session
      }
    }

    // Trusted while it runs: its program is what is trusted.
    const first = await session(async () => expect((await runCli(['trust', 'webcamtoy'], env)).code).toBe(0))
    expect(first).toMatchObject({ unexpected: true, reasons: ['untrusted-app'] })
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
    // stop ends only an app using a camera now: this one holds the test camera.
    const r = await runCli(['stop', String(h.pid), '--device', dev.device], dataDir().env)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe(`Process ${h.pid} did not close when asked, so it was forced to end.\n`)
    await exited
    expect(h.child.signalCode).toBe('SIGKILL')
  })

  it('refuses to stop init, with exit 1', async () => {
    const r = await runCli(['stop', '1'], dataDir().env)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Process 1 is part of the system and cannot be stopped.')
  })
})
