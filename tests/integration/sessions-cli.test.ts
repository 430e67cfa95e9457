// Device sessions as `camguard watch` keeps them, against real processes holding test device files:
// a flicker that brings a newcomer is one history record listing both apps, and the microphone has
// sessions of its own, told with kind: 'microphone'.
import { spawn } from 'node:child_process'
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActivitySession, MonitorEvent } from '../../src/shared/types.js'
import { sleepAs } from '../support/impostors.js'
import { PYTHON, makeDevice, runCli, startHolder, startWatch } from '../support/processes.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const dataDir = () => ({ CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'camguard-data-')) })

/** A process named `name` that opens `device` only when told (a line on its stdin). */
async function waitingOpener(device: string, name: string) {
  const exe = join(mkdtempSync(join(tmpdir(), 'camguard-exe-')), name)
  symlinkSync(PYTHON, exe)
  const script = `import sys\nsys.stdout.write("waiting\\n"); sys.stdout.flush()\nsys.stdin.readline()\nf = open(${JSON.stringify(device)}, "rb")\nsys.stdout.write("ready\\n"); sys.stdout.flush()\nimport time\nwhile True: time.sleep(3600)\n`
  const child = spawn(exe, ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] })
  cleanups.push(() => child.kill('SIGKILL'))
  let out = ''
  const said = (word: string) =>
    new Promise<void>((resolve) => {
      const check = () => out.includes(word) && resolve()
      child.stdout.on('data', (d: Buffer) => ((out += d.toString()), check()))
      check()
    })
  await said('waiting')
  return { pid: child.pid!, open: () => (child.stdin.write('\n'), said('ready')) }
}

describe('device sessions in camguard watch', { timeout: 120_000 }, () => {
  it('a trusted app, off for under 2 s, then an untrusted one: one history record, unexpected, listing both', async () => {
    const { pattern, device } = makeDevice()
    const env = dataDir()
    const spy = await waitingOpener(device, 'spycam')
    const zoom = await sleepAs('zoom', device)
    cleanups.push(() => zoom.stop())
    expect((await runCli(['trust', zoom.exe], env)).code).toBe(0)
    const watch = startWatch(['--json', '--no-notify', '--interval', '100', '--device', pattern], env)
    cleanups.push(() => watch.child.kill('SIGKILL'))
    const on = await watch.event<MonitorEvent>('camera-on')
    expect(on).toMatchObject({ kind: 'camera', unexpected: false, apps: [{ name: 'zoom' }] })

    await zoom.stop()
    await watch.event('camera-off')
    await spy.open()
    const back = await watch.event<MonitorEvent>(
      'camera-on',
      15_000,
      watch.lines.indexOf(JSON.stringify(on)) + 1,
    )
    expect(back).toMatchObject({
      kind: 'camera',
      resumed: true,
      unexpected: true,
      reasons: ['untrusted-app'],
      apps: [{ pid: spy.pid, name: 'spycam' }],
    })
    watch.child.kill('SIGTERM')
    expect(await watch.exit).toBe(0)

    const sessions = JSON.parse((await runCli(['log', '--json'], env)).stdout) as ActivitySession[]
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({ kind: 'camera', unexpected: true, reasons: ['untrusted-app'] })
    expect(sessions[0]!.apps.map((a) => a.name)).toEqual(['zoom', 'spycam'])
    expect(sessions[0]!.end).not.toBeNull()
  })

  it('tells microphone-on and microphone-off with kind, and records the microphone session', async () => {
    const camera = makeDevice()
    const snd = mkdtempSync(join(tmpdir(), 'camguard-snd-'))
    const node = join(snd, 'pcmC0D0c')
    writeFileSync(node, Buffer.alloc(8192))
    const env = dataDir()
    const watch = startWatch(
      [
        '--json',
        '--no-notify',
        '--interval',
        '100',
        '--device',
        camera.pattern,
        '--mic-device',
        join(snd, 'pcmC*D*c'),
      ],
      env,
    )
    cleanups.push(() => watch.child.kill('SIGKILL'))
    await watch.event('ready')
    const holder = await startHolder(node, 'open')
    cleanups.push(() => holder.stop())
    const on = await watch.event<MonitorEvent>('microphone-on')
    expect(on).toMatchObject({ kind: 'microphone', unexpected: true, apps: [{ pid: holder.pid }] })
    await holder.stop()
    const off = await watch.event<MonitorEvent>('microphone-off')
    expect(off).toMatchObject({ kind: 'microphone' })
    expect(watch.lines.some((l) => l.includes('"camera-on"'))).toBe(false)
    watch.child.kill('SIGTERM')
    expect(await watch.exit).toBe(0)
    const sessions = JSON.parse((await runCli(['log', '--json'], env)).stdout) as ActivitySession[]
    expect(sessions).toMatchObject([{ kind: 'microphone', apps: [{ pid: holder.pid }], unexpected: true }])
  })
})
