// Trust is per device: `camguard trust NAME --kind microphone` and `untrust NAME --kind camera`
// against a real program (a renamed copy of sleep) holding a test ALSA capture node.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { MonitorEvent } from '../../src/shared/types.js'
import { sleepAs, type Held } from '../support/impostors.js'
import { runCli, startWatch } from '../support/processes.js'

type MicOn = Extract<MonitorEvent, { type: 'microphone-on' }>

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
const held = (h: Held) => (cleanups.push(() => h.stop()), h)

function setup() {
  const snd = mkdtempSync(join(tmpdir(), 'camguard-snd-'))
  const node = join(snd, 'pcmC0D0c')
  writeFileSync(node, Buffer.alloc(8192))
  const dir = mkdtempSync(join(tmpdir(), 'camguard-data-'))
  // trust looks for the app on the devices the settings name: here only the test capture node.
  writeFileSync(
    join(dir, 'settings.json'),
    JSON.stringify({ devicePatterns: ['/nonexistent/video*'], micDevicePatterns: [join(snd, 'pcmC*D*c')] }),
  )
  const trusted = () =>
    (JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { trustedApps: unknown[] }).trustedApps
  return { node, env: { CAMGUARD_DATA_DIR: dir }, trusted }
}

describe('camguard trust and untrust --kind', { timeout: 180_000 }, () => {
  it('trusts the device an app was seen using, or the devices --kind names; untrust --kind keeps the others', async () => {
    const { node, env, trusted } = setup()
    const app = held(await sleepAs('dictaphone', node))

    const seen = await runCli(['trust', 'dictaphone'], env)
    expect(seen.stderr).toBe('')
    expect(seen.stdout).toBe(`Trusted dictaphone: ${app.exe} (microphone only).\n`)
    expect(trusted()).toEqual([{ exe: app.exe, name: 'dictaphone', kinds: ['microphone'] }])

    const both = await runCli(['trust', 'dictaphone', '--kind', 'camera,microphone'], env)
    expect(both.code).toBe(0)
    expect(trusted()).toEqual([{ exe: app.exe, name: 'dictaphone', kinds: ['microphone', 'camera'] }])

    const lessMic = await runCli(['untrust', 'dictaphone', '--kind', 'microphone'], env)
    expect(lessMic.stdout).toBe(`dictaphone: ${app.exe}: now trusted for the camera only.\n`)
    expect(trusted()).toEqual([{ exe: app.exe, name: 'dictaphone', kinds: ['camera'] }])
    const again = await runCli(['untrust', 'dictaphone', '--kind', 'microphone'], env)
    expect(again.stdout).toBe('dictaphone was not on the trusted list for the microphone.\n')

    // By its path, for the microphone only.
    const path = await runCli(['trust', app.exe, '--kind', 'microphone'], env)
    expect(path.code).toBe(0)
    expect(trusted()).toEqual([{ exe: app.exe, name: 'dictaphone', kinds: ['camera', 'microphone'] }])
    const gone = await runCli(['untrust', 'dictaphone'], env)
    expect(gone.stdout).toContain('No longer trusted: dictaphone')
    expect(trusted()).toEqual([])
  })

  it.each([[['trust', 'dictaphone', '--kind', 'speaker']], [['untrust', 'dictaphone', '--kind', '']]])(
    '%j: one clear line, exit 2, nothing changed',
    async (args) => {
      const { env, trusted } = setup()
      const r = await runCli(args, env)
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/--kind takes camera, microphone or camera,microphone/)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(trusted()).toBeUndefined()
    },
  )

  it('an app trusted for the camera only is unexpected on the microphone, until trusted for it', async () => {
    const { node, env } = setup()
    const first = held(await sleepAs('dictaphone', node))
    expect((await runCli(['trust', first.exe, '--kind', 'camera'], env)).code).toBe(0)
    await first.stop()

    const watch = startWatch(['--json', '--no-notify', '--interval', '100'], env)
    cleanups.push(() => watch.child.kill('SIGKILL'))
    await watch.event('ready')
    const session = async () => {
      const from = watch.lines.length
      const h = held(await sleepAs('dictaphone', node, join(first.exe, '..')))
      const on = await watch.event<MicOn>('microphone-on', 15_000, from)
      await h.stop()
      await watch.event('microphone-off', 15_000, from)
      await new Promise((r) => setTimeout(r, 2500)) // past the flicker window
      return on
    }
    expect(await session()).toMatchObject({ unexpected: true, reasons: ['untrusted-app'] })
    expect((await runCli(['trust', first.exe, '--kind', 'microphone'], env)).code).toBe(0)
    await new Promise((r) => setTimeout(r, 1000)) // the running watch rereads settings.json
    expect(await session()).toMatchObject({ unexpected: false, reasons: [] })
  })
})
