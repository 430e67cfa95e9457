// The Linux detector where the native bridge cannot load: it still tells on from off (by polling
// /proc), says why it polls, and never claims event mode.
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { makeDevice, startHolder } from '../../../tests/support/processes.js'
import { createInotifyWatcher } from './inotify.js'
import { createLinuxDetector } from './linux.js'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe.runIf(process.platform === 'linux')('Linux detector without the native bridge', () => {
  it('polls, says why in the snapshot and in doctor, and still sees the camera on', async () => {
    const dev = makeDevice()
    cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
    const reason = 'the native bridge (koffi) could not be loaded: Cannot find the native Koffi module'
    const d = createLinuxDetector({
      devicePatterns: () => [dev.pattern],
      pwDump: null,
      watcher: createInotifyWatcher({ ok: false, error: reason }),
    })
    cleanups.push(() => d.close())
    expect((await d.snapshot()).mode).toBe('poll')
    const watch = await d.watch!(() => undefined)
    cleanups.push(() => watch.stop())
    expect(watch.mode).toBe('poll')
    expect(watch.intervalMs()).toBeNull() // the monitor's own poll interval
    const holder = await startHolder(dev.device, 'open')
    cleanups.push(() => holder.stop())
    const snap = await d.snapshot()
    expect(snap.state).toBe('on')
    expect(snap.warnings.join(' ')).toMatch(
      /Could not watch the camera devices \(the native bridge \(koffi\)/,
    )
    expect(await d.diagnose!()).toMatchObject({
      native: { ok: false, detail: reason },
      mode: 'poll',
      modeWhy: expect.stringMatching(/koffi/),
    })
  })
})
