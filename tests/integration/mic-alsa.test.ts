import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLinuxMicDetector } from '../../src/core/microphone/linux.js'
import { Monitor } from '../../src/core/monitor.js'
import { execRunner } from '../../src/core/runner.js'
import type { CameraSnapshot, MonitorEvent } from '../../src/shared/types.js'
import { startPipeWire } from '../support/pipewire-session.js'
import { fuser, startHolder, waitUntil, type Holder } from '../support/processes.js'

// ALSA capture nodes by the camera's rules, against the real /proc: processes that really open
// and map test capture nodes, with fuser as the oracle.

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function hold(...args: Parameters<typeof startHolder>): Promise<Holder> {
  const h = await startHolder(...args)
  cleanups.push(() => h.stop())
  return h
}

/** Capture nodes in a temp folder (plain files with some bytes, so they can be mapped). */
function captureNodes(...names: string[]): { dir: string; nodes: string[]; pattern: string } {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-snd-'))
  const nodes = names.map((n) => join(dir, n))
  for (const n of nodes) writeFileSync(n, Buffer.alloc(8192))
  return { dir, nodes, pattern: join(dir, 'pcmC*D*c') }
}

/** A runtime folder with no sound server in it, unless one is given. */
async function snapshot(pattern: string, runtimeDir?: string): Promise<CameraSnapshot> {
  const d = createLinuxMicDetector({
    devicePatterns: () => [pattern],
    env: { XDG_RUNTIME_DIR: runtimeDir ?? mkdtempSync(join(tmpdir(), 'camguard-run-')) },
    runner: execRunner,
  })
  try {
    return await d.snapshot()
  } finally {
    await d.close()
  }
}

const pidsOf = (s: CameraSnapshot, node: string) =>
  s.cameras
    .filter((c) => c.devices.includes(node))
    .flatMap((c) => c.users.map((u) => u.pid!))
    .sort((a, b) => a - b)

describe('the microphone by its ALSA capture nodes', () => {
  it('is off with nobody holding a node, and lists each node', async () => {
    const { nodes, pattern } = captureNodes('pcmC0D0c', 'pcmC1D0c')
    const s = await snapshot(pattern)
    expect(s.state).toBe('off')
    expect(s.cameras).toEqual(
      nodes.map((n) => ({ id: n, name: n.split('/').pop(), devices: [n], inUse: false, users: [] })),
    )
  })

  it('names the processes that hold nodes open or mapped, the same ones fuser finds', async () => {
    const { nodes, pattern } = captureNodes('pcmC0D0c', 'pcmC1D0c', 'pcmC2D0c')
    const opened = await hold(nodes[0]!, 'open')
    const mapped = await hold(nodes[1]!, 'map')
    const both = await hold(nodes[1]!, 'open')
    const s = await snapshot(pattern)
    expect(s.state).toBe('on')
    for (const n of nodes) expect(pidsOf(s, n)).toEqual(fuser(n))
    expect(s.cameras[0]!.users).toEqual([
      { pid: opened.pid, name: 'python3', exe: expect.stringMatching(/python3/), evidence: 'open' },
    ])
    expect(s.cameras[1]!.users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pid: mapped.pid, evidence: 'streaming' }),
        expect.objectContaining({ pid: both.pid, evidence: 'open' }),
      ]),
    )
    expect(s.cameras[2]!.inUse).toBe(false)

    await opened.stop()
    await mapped.stop()
    await both.stop()
    expect((await snapshot(pattern)).state).toBe('off')
  })

  it('does not count a sound server holding a node while idle; names it when it maps one and nobody else can be named', async () => {
    const { nodes, pattern } = captureNodes('pcmC0D0c')
    await hold(nodes[0]!, 'open', { exe: 'pipewire' })
    await hold(nodes[0]!, 'open', { exe: 'wireplumber' })
    expect(await snapshot(pattern)).toMatchObject({ state: 'off', cameras: [{ users: [] }] })

    const server = await hold(nodes[0]!, 'map', { exe: 'pulseaudio' })
    const s = await snapshot(pattern)
    expect(s.state).toBe('on')
    expect(s.cameras[0]!.users).toEqual([
      {
        pid: server.pid,
        name: 'pulseaudio',
        exe: expect.stringMatching(/\/pulseaudio$/),
        evidence: 'streaming',
      },
    ])
  })

  it('is not fooled by a process that only calls itself a sound server', async () => {
    const { nodes, pattern } = captureNodes('pcmC0D0c')
    const spy = await hold(nodes[0]!, 'open', { as: 'pipewire' })
    const s = await snapshot(pattern)
    expect(s.state).toBe('on')
    expect(s.cameras[0]!.users).toMatchObject([{ pid: spy.pid, name: 'pipewire', evidence: 'open' }])
  })

  it('takes PipeWire at its word: a server mapping a node while nobody records through it is idle', async () => {
    const pw = await startPipeWire()
    cleanups.push(() => pw.close())
    const { nodes, pattern } = captureNodes('pcmC0D0c')
    await hold(nodes[0]!, 'map', { exe: 'pipewire' })
    // Without a PipeWire to ask, a mapping server is all that can be named ...
    expect((await snapshot(pattern)).state).toBe('on')
    // ... with one, it says nobody records.
    const s = await snapshot(pattern, pw.runtimeDir)
    expect(s.state).toBe('off')
    expect(s.cameras.map((c) => c.id)).toEqual([nodes[0], 'pipewire:test-mic'])
  })
})

describe('capture nodes watched by events', () => {
  it('sees a node opened and closed at once, with no timer (inotify)', async () => {
    const { nodes, pattern } = captureNodes('pcmC0D0c')
    const d = createLinuxMicDetector({
      devicePatterns: () => [pattern],
      env: { XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'camguard-run-')) },
      runner: execRunner,
      reconcileMs: 600_000,
    })
    const monitor = new Monitor({ detector: d, intervalMs: () => 600_000 })
    const events: MonitorEvent[] = []
    monitor.on((e) => events.push(e))
    await monitor.start()
    cleanups.push(() => monitor.stop())
    expect(monitor.mode).toBe('event')

    const h = await hold(nodes[0]!, 'map')
    const on = await waitUntil(() => events.find((e) => e.type === 'camera-on'), 'an on event')
    expect(on).toMatchObject({ apps: [{ pid: h.pid, evidence: 'streaming' }] })
    await h.stop()
    await waitUntil(() => events.find((e) => e.type === 'camera-off'), 'an off event')
  })
})
