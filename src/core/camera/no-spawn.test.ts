// "No process is started per check", on all three systems: every program a detector could start
// goes through its injected runner or stream spawner, which count here; and the real process table
// shows no child of this process appearing while the checks run.
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import {
  fakeMac,
  fakeRunner,
  fakeStreams,
  fakeWin,
  fixture,
  type CmioRecording,
  type WinRecording,
} from '../../../tests/support/native-fakes.js'
import { childrenOf, makeDevice, startHolder } from '../../../tests/support/processes.js'
import type { CameraDetector, Runner } from '../ports.js'
import { createDarwinDetector } from './darwin.js'
import { createLinuxDetector } from './linux.js'
import { createWin32Detector } from './win32.js'

const CHECKS = 20
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function countingRunner(): { runner: Runner; runs: () => number } {
  let runs = 0
  const runner: Runner = async () => {
    runs++
    return { code: 0, signal: null, stdout: '', stderr: '', timedOut: false }
  }
  return { runner, runs: () => runs }
}

/** Runs CHECKS snapshots under a watch; returns what each check cost in started programs. */
async function checks(
  d: CameraDetector,
  spawned: () => number,
): Promise<{ perCheck: number; state: string }> {
  const watch = await d.watch?.(() => undefined)
  cleanups.push(async () => {
    await watch?.stop()
    await d.close()
  })
  const first = await d.snapshot() // may start what runs all along (macOS: one log stream)
  const before = spawned()
  const kids = childrenOf()
  for (let i = 0; i < CHECKS; i++) await d.snapshot()
  expect(childrenOf()).toEqual(kids)
  return { perCheck: (spawned() - before) / CHECKS, state: first.state }
}

describe.runIf(process.platform === 'linux')('no process started per check', () => {
  it('Linux, camera on', async () => {
    const dev = makeDevice()
    cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
    const holder = await startHolder(dev.device, 'map')
    cleanups.push(() => holder.stop())
    const { runner, runs } = countingRunner()
    const d = createLinuxDetector({ devicePatterns: () => [dev.pattern], runner })
    expect(await checks(d, runs)).toEqual({ perCheck: 0, state: 'on' })
    expect(runs()).toBe(0)
  })

  it('macOS, camera on and its app named', async () => {
    const mac = fakeMac(fixture<CmioRecording>('darwin/cmio-devices.json'))
    const streams = fakeStreams()
    const run = fakeRunner()
    const d = createDarwinDetector({
      runner: run.runner,
      spawnLines: streams.spawnLines,
      native: mac.loaded,
      administrator: true,
    })
    const result = await checks(d, () => streams.started.length + run.calls.length)
    expect(result).toEqual({ perCheck: 0, state: 'on' })
    expect(streams.started.map((s) => s.file)).toEqual(['log']) // one stream for the whole run
  })

  it('Windows, camera on', async () => {
    const win = fakeWin(fixture<WinRecording>('win32/consent-store.json'))
    const d = createWin32Detector({ native: win.loaded })
    // The Windows detector has no runner at all: only the process table could show a program.
    expect(await checks(d, () => 0)).toEqual({ perCheck: 0, state: 'on' })
    expect(win.processLists).toBe(CHECKS + 1) // in-process Toolhelp snapshots instead
  })
})
