import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLinuxMicDetector } from '../../src/core/microphone/linux.js'
import { Monitor } from '../../src/core/monitor.js'
import type { CameraDetector, Runner } from '../../src/core/ports.js'
import { execRunner } from '../../src/core/runner.js'
import { spawnLines, type SpawnLines } from '../../src/core/camera/spawn-lines.js'
import type { CameraUser, MonitorEvent } from '../../src/shared/types.js'
import { startPipeWire, type PipeWireSession } from '../support/pipewire-session.js'
import { waitUntil } from '../support/processes.js'

// A real PipeWire and WirePlumber, a null source, and pw-record as the app that records.

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function session(): Promise<PipeWireSession> {
  const pw = await startPipeWire()
  cleanups.push(() => pw.close())
  return pw
}

/** The detector under test, looking at the test's server only (no ALSA nodes: a pattern that matches nothing). */
function detector(
  pw: PipeWireSession,
  extra: { runner?: Runner; spawnLines?: SpawnLines; pwDump?: string } = {},
) {
  const d = createLinuxMicDetector({
    devicePatterns: () => [`${pw.runtimeDir}/no-such-pcmC*D*c`],
    env: pw.env,
    runner: extra.runner ?? execRunner,
    ...(extra.spawnLines ? { spawnLines: extra.spawnLines } : {}),
    ...(extra.pwDump ? { pwDump: extra.pwDump } : {}),
  })
  cleanups.push(() => d.close())
  return d
}

const users = (s: Awaited<ReturnType<CameraDetector['snapshot']>>): CameraUser[] =>
  s.cameras.flatMap((c) => c.users)

describe('the microphone through a real PipeWire', () => {
  it('is off while PipeWire and WirePlumber sit idle, on while pw-record records (named by its pid), off after', async () => {
    const pw = await session()
    const d = detector(pw)
    const idle = await d.snapshot()
    expect(idle.state).toBe('off')
    expect(idle.cameras).toEqual([
      { id: 'pipewire:test-mic', name: 'test-mic', devices: [], inUse: false, users: [] },
    ])

    const rec = await pw.record()
    cleanups.push(() => rec.stop())
    const on = await waitUntil(
      () => d.snapshot(),
      'the microphone turning on',
      (s) => s.state === 'on',
    )
    // The kernel's name and executable for the pid the server saw: pw-record is a link to pw-cat.
    expect(users(on)).toEqual([
      { pid: rec.pid, name: 'pw-record', exe: '/usr/bin/pw-cat', evidence: 'pipewire' },
    ])
    expect(on.cameras[0]).toMatchObject({ id: 'pipewire:test-mic', inUse: true })

    await rec.stop()
    const off = await waitUntil(
      () => d.snapshot(),
      'the microphone turning off',
      (s) => s.state === 'off',
    )
    expect(users(off)).toEqual([])
  })

  it('hears of recording from PipeWire itself while a monitor runs: one pw-dump for the whole run', async () => {
    const pw = await session()
    let runs = 0
    let streams = 0
    const d = detector(pw, {
      runner: (f, a, o) => {
        runs++
        return execRunner(f, a, o)
      },
      spawnLines: (f, a, onLine, onExit) => {
        streams++
        return spawnLines(f, a, onLine, onExit)
      },
    })
    // A timer so long that only PipeWire's own events can bring the news.
    const monitor = new Monitor({ detector: d, intervalMs: () => 600_000 })
    const events: MonitorEvent[] = []
    monitor.on((e) => events.push(e))
    await monitor.start()
    cleanups.push(() => monitor.stop())
    expect(monitor.snapshot?.state).toBe('off')

    const rec = await pw.record()
    cleanups.push(() => rec.stop())
    const on = await waitUntil(
      () => events.find((e) => e.type === 'camera-on'),
      'an on event',
      (e) => e !== undefined,
    )
    expect(on).toMatchObject({ apps: [{ pid: rec.pid, name: 'pw-record', evidence: 'pipewire' }] })
    await rec.stop()
    await waitUntil(
      () => events.find((e) => e.type === 'camera-off'),
      'an off event',
      (e) => e !== undefined,
    )

    for (let i = 0; i < 5; i++) await monitor.check()
    expect(runs).toBe(0) // no pw-dump run per check
    expect(streams).toBe(1) // one pw-dump --monitor, still the same
  })

  it('says off, not unknown, once the server is gone, even when killed and its socket left behind', async () => {
    const pw = await session()
    const d = detector(pw)
    const monitor = new Monitor({ detector: d, intervalMs: () => 600_000 })
    await monitor.start()
    cleanups.push(() => monitor.stop())
    const rec = await pw.record()
    cleanups.push(() => rec.stop())
    await waitUntil(
      () => monitor.snapshot,
      'the microphone turning on',
      (s) => s?.state === 'on',
    )

    process.kill(pw.pipewirePid, 'SIGKILL')
    // pw-dump --monitor ends with the server: that alone brings the monitor to check again.
    const off = await waitUntil(
      () => monitor.snapshot,
      'off after the server died',
      (s) => s?.state === 'off',
    )
    expect(off!.cameras).toEqual([])
    expect((await d.snapshot()).state).toBe('off')
  })
})

describe('the microphone watched by events', () => {
  it('finds a PipeWire server that starts after CamGuard, and whoever records through it, with no timer', async () => {
    const runtimeDir = mkdtempSync(join(tmpdir(), 'camguard-pw-'))
    const d = createLinuxMicDetector({
      devicePatterns: () => [`${runtimeDir}/no-such-pcmC*D*c`],
      env: { XDG_RUNTIME_DIR: runtimeDir },
      runner: execRunner,
      reconcileMs: 600_000,
    })
    cleanups.push(() => d.close())
    const monitor = new Monitor({ detector: d, intervalMs: () => 600_000 })
    const events: MonitorEvent[] = []
    monitor.on((e) => events.push(e))
    await monitor.start()
    cleanups.push(() => monitor.stop())
    expect(monitor.mode).toBe('event')
    expect(monitor.snapshot?.cameras).toEqual([])

    const pw = await startPipeWire({ runtimeDir })
    cleanups.push(() => pw.close())
    // The socket appearing is what tells CamGuard to start listening to the new server.
    await waitUntil(() => monitor.snapshot?.cameras.length, 'the new source to be listed')
    const rec = await pw.record()
    cleanups.push(() => rec.stop())
    const on = await waitUntil(() => events.find((e) => e.type === 'camera-on'), 'an on event')
    expect(on).toMatchObject({ apps: [{ pid: rec.pid, name: 'pw-record' }] })
  })
})

describe("the microphone through PipeWire's PulseAudio server", () => {
  it('names pipewire-pulse, the process PipeWire saw, and keeps what parecord says it is as a claim', async () => {
    const pw = await startPipeWire({ pulse: true })
    cleanups.push(() => pw.close())
    const d = detector(pw)
    const rec = await pw.recordPulse()
    cleanups.push(() => rec.stop())
    const on = await waitUntil(
      () => d.snapshot(),
      'the microphone turning on',
      (s) => s.state === 'on',
    )
    expect(users(on)).toEqual([
      {
        pid: pw.pulsePid,
        name: 'pipewire-pulse',
        exe: '/usr/bin/pipewire',
        evidence: 'pipewire',
        claimed: { name: 'parecord', pid: rec.pid },
      },
    ])
    await rec.stop()
    await waitUntil(
      () => d.snapshot(),
      'the microphone turning off',
      (s) => s.state === 'off',
    )
  })
})
