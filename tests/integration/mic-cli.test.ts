import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CameraSnapshot, MonitorEvent } from '../../src/shared/types.js'
import { startPipeWire } from '../support/pipewire-session.js'
import { fuser, runCli, startHolder, startWatch, type Holder } from '../support/processes.js'

// camguard status with the microphone, against the real /proc and a real PipeWire.

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function captureNode(): { node: string; pattern: string } {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-snd-'))
  const node = join(dir, 'pcmC0D0c')
  writeFileSync(node, Buffer.alloc(8192))
  return { node, pattern: join(dir, 'pcmC*D*c') }
}

async function status(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CameraSnapshot> {
  const r = await runCli(['status', '--json', '--device', '/nonexistent/video*', ...args], {
    CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'camguard-data-')),
    XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'camguard-run-')),
    ...env,
  })
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as CameraSnapshot
}

describe('camguard status --json and the microphone', () => {
  it('adds microphone: { state, devices } naming who holds a capture node (--mic-device), as fuser does', async () => {
    const { node, pattern } = captureNode()
    const off = await status(['--mic-device', pattern])
    expect(off.microphone).toEqual({
      state: 'off',
      devices: [{ id: node, name: 'pcmC0D0c', devices: [node], inUse: false, users: [] }],
    })
    const h: Holder = await startHolder(node, 'map')
    cleanups.push(() => h.stop())
    const on = await status(['--mic-device', pattern])
    expect(on.state).toBe('off') // the camera is another matter
    expect(on.microphone!.state).toBe('on')
    expect(on.microphone!.devices[0]!.users).toEqual([
      { pid: h.pid, name: 'python3', exe: expect.stringMatching(/python3/), evidence: 'streaming' },
    ])
    expect(on.microphone!.devices[0]!.users.map((u) => u.pid)).toEqual(fuser(node))
  })

  it('says the microphone in plain text too: who records, on which node', async () => {
    const { node, pattern } = captureNode()
    const h = await startHolder(node, 'map')
    cleanups.push(() => h.stop())
    const r = await runCli(['status', '--device', '/nonexistent/video*', '--mic-device', pattern], {
      CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'camguard-data-')),
      XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'camguard-run-')),
    })
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'Camera: off',
      'Microphone: ON, used by python3',
      `  pcmC0D0c (${node}): python3 (pid ${h.pid}), recording sound`,
    ])
  })

  it('names pw-record recording through PipeWire by its pid', async () => {
    const pw = await startPipeWire()
    cleanups.push(() => pw.close())
    const rec = await pw.record()
    cleanups.push(() => rec.stop())
    let s = await status(['--mic-device', '/nonexistent/pcmC*D*c'], pw.env)
    // pw-record may still be linking: ask again until it runs.
    for (let i = 0; i < 20 && s.microphone?.state !== 'on'; i++)
      s = await status(['--mic-device', '/nonexistent/pcmC*D*c'], pw.env)
    expect(s.microphone).toMatchObject({
      state: 'on',
      devices: [
        { id: 'pipewire:test-mic', users: [{ pid: rec.pid, name: 'pw-record', evidence: 'pipewire' }] },
      ],
    })
  })

  it('leaves the microphone out when watchMicrophone is off', async () => {
    const data = mkdtempSync(join(tmpdir(), 'camguard-data-'))
    expect(
      (await runCli(['config', 'set', 'watchMicrophone', 'off'], { CAMGUARD_DATA_DIR: data })).code,
    ).toBe(0)
    const s = await status([], { CAMGUARD_DATA_DIR: data })
    expect(s.microphone).toBeUndefined()
  })

  it('watches it for one run when --mic-device is given, even with watchMicrophone off', async () => {
    const data = mkdtempSync(join(tmpdir(), 'camguard-data-'))
    expect(
      (await runCli(['config', 'set', 'watchMicrophone', 'off'], { CAMGUARD_DATA_DIR: data })).code,
    ).toBe(0)
    const { node, pattern } = captureNode()
    const h = await startHolder(node, 'map')
    cleanups.push(() => h.stop())
    const s = await status(['--mic-device', pattern], { CAMGUARD_DATA_DIR: data })
    expect(s.microphone).toMatchObject({ state: 'on', devices: [{ users: [{ pid: h.pid }] }] })
  })
})

describe('camguard watch and the microphone', () => {
  it('watches the capture nodes --mic-device names: the ready snapshot says who records', async () => {
    const { node, pattern } = captureNode()
    const h = await startHolder(node, 'map')
    cleanups.push(() => h.stop())
    const env = {
      CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'camguard-data-')),
      XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'camguard-run-')),
    }
    const args = ['--json', '--no-notify', '--device', '/nonexistent/video*', '--mic-device', pattern]
    const watch = startWatch(args, env)
    cleanups.push(async () => {
      watch.child.kill('SIGTERM')
      await watch.exit
    })
    const ready = await watch.event<Extract<MonitorEvent, { type: 'ready' }>>('ready')
    expect(ready.snapshot.state).toBe('off')
    expect(ready.snapshot.microphone).toMatchObject({
      state: 'on',
      devices: [{ id: node, inUse: true, users: [{ pid: h.pid, name: 'python3', evidence: 'streaming' }] }],
    })
  })
})
