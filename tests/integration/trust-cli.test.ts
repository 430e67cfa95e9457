// Trust by identity against real processes: `camguard trust NAME` stores the executable of the app
// using the device, and a program that only takes that name (a renamed copy of sleep, a Python
// process that renames itself) is unexpected, with the reason impersonation.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { MonitorEvent } from '../../src/shared/types.js'
import { pythonCalling, sleepAs, type Held } from '../support/impostors.js'
import { makeDevice, runCli, startWatch } from '../support/processes.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
const held = (h: Held) => (cleanups.push(() => h.stop()), h)
const dataDir = () => mkdtempSync(join(tmpdir(), 'camguard-data-'))
const trustedApps = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { trustedApps: unknown[] }).trustedApps

describe('camguard trust by identity', { timeout: 180_000 }, () => {
  it('resolves a name to the executable using the camera; impostors by that name are unexpected (impersonation)', async () => {
    const { device, pattern } = makeDevice()
    const dir = dataDir()
    const env = { CAMGUARD_DATA_DIR: dir }
    const real = held(await sleepAs('zoom', device))

    // trust looks for the app on the devices the settings name.
    expect((await runCli(['config', 'set', 'devicePatterns', pattern], env)).code).toBe(0)
    const ok = await runCli(['trust', 'zoom'], env)
    expect(ok.stderr).toBe('')
    expect(ok.stdout).toContain(`Trusted zoom: ${real.exe}`)
    expect(trustedApps(dir)).toEqual([{ exe: real.exe, name: 'zoom', kinds: ['camera'] }])
    await real.stop()

    const watch = startWatch(['--json', '--no-notify', '--interval', '100'], env)
    cleanups.push(() => watch.child.kill('SIGKILL'))
    await watch.event('ready')
    const session = async (start: () => Promise<Held>) => {
      const from = watch.lines.length
      const h = held(await start())
      const on = await watch.event<Extract<MonitorEvent, { type: 'camera-on' }>>('camera-on', 15_000, from)
      await h.stop()
      await watch.event('camera-off', 15_000, from)
      // Past the flicker window, so the next one is a session of its own.
      await new Promise((r) => setTimeout(r, 2500))
      return { on, h }
    }

    const copy = await session(() => sleepAs('zoom', device))
    expect(copy.on).toMatchObject({ unexpected: true, reasons: ['impersonation'] })
    expect(copy.on.apps).toMatchObject([{ pid: copy.h.pid, name: 'zoom', exe: copy.h.exe }])

    const python = await session(() => pythonCalling('zoom', device))
    expect(python.on).toMatchObject({ unexpected: true, reasons: ['impersonation'] })
    expect(python.on.apps).toMatchObject([{ pid: python.h.pid, name: 'zoom', exe: python.h.exe }])

    const itself = await session(() => sleepAs('zoom', device, join(real.exe, '..')))
    expect(itself.on).toMatchObject({ unexpected: false, reasons: [] })

    watch.child.kill('SIGTERM')
    expect(await watch.exit).toBe(0)
  })

  it('asks for a path when nothing by that name uses a device; takes a path; refuses an interpreter', async () => {
    const dir = dataDir()
    const env = { CAMGUARD_DATA_DIR: dir, XDG_RUNTIME_DIR: dir }
    const { pattern } = makeDevice()
    await runCli(['config', 'set', 'devicePatterns', pattern], env)

    const help = await runCli(['trust', '--help'], env)
    expect(help.stdout).toMatch(
      /by what the system says it runs \(its executable file\), never by the\s+name it gives itself/,
    )
    expect(help.stdout).toContain('camguard trust --upgrade')

    const none = await runCli(['trust', 'zoom'], env)
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(
      /zoom is not using the camera or the microphone now.*camguard trust \/path\/to\/zoom/,
    )
    expect(trustedApps(dir)).toEqual([])

    const app = join(mkdtempSync(join(tmpdir(), 'camguard-app-')), 'cheese')
    writeFileSync(app, '#!/bin/sh\n', { mode: 0o755 })
    const byPath = await runCli(['trust', app], env)
    expect(byPath.stdout).toContain(`Trusted cheese: ${app}`)
    expect(trustedApps(dir)).toEqual([{ exe: app, name: 'cheese', kinds: ['camera'] }])

    const python = await runCli(['trust', '/usr/bin/python3'], env)
    expect(python.code).toBe(1)
    // /usr/bin/python3 is a link: the interpreter is named by the program file it leads to.
    expect(python.stderr).toMatch(
      /^camguard: \/\S+\/python3[\d.]* is an interpreter \(python3[\d.]*\): trusting it would trust every script it runs, so CamGuard keeps alerting for it; trust the app's own program file instead\.\n$/,
    )

    const missing = await runCli(['trust', '/no/such/app'], env)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/is not a program file here/)
  })

  it('lists old name-only entries as weaker and upgrades them to the running executable in one step', async () => {
    const { device, pattern } = makeDevice()
    const dir = dataDir()
    const env = { CAMGUARD_DATA_DIR: dir }
    // Settings from an older version: plain names.
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ trustedApps: ['zoom', 'skype'], devicePatterns: [pattern] }),
    )
    const listed = await runCli(['trusted'], env)
    expect(listed.stdout).toContain('zoom: by name only (weaker)')
    expect(listed.stdout).toContain('camguard trust --upgrade')

    const real = held(await sleepAs('zoom', device))
    const up = await runCli(['trust', '--upgrade'], env)
    expect(up.code).toBe(0)
    expect(up.stdout).toContain(`zoom is now trusted by its executable: zoom: ${real.exe}`)
    expect(up.stdout).toMatch(/skype is still trusted by name only \(weaker\): it is not running now/)
    expect(trustedApps(dir)).toEqual(
      [{ exe: real.exe, name: 'zoom', kinds: ['camera'] }, 'skype'].map((e) =>
        typeof e === 'string' ? { exe: null, name: e, kinds: ['camera'] } : e,
      ),
    )
    expect((await runCli(['trusted', '--json'], env)).stdout).toContain(real.exe)

    const un = await runCli(['untrust', real.exe], env)
    expect(un.stdout).toContain('No longer trusted: zoom')
    expect(await readFile(join(dir, 'settings.json'), 'utf8')).not.toContain(real.exe)
  })
})
