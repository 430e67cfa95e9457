// "Trust" and "Stop app" from an alert, against real processes: a trusted app (by its executable)
// and an untrusted one share the camera, the alert is raised for the newcomer, and each face's
// action handler (the `camguard watch` notifier, the app's notification handler) trusts and stops
// the untrusted app only. The trusted app keeps running and is not added again.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import { openCliSettings } from '../../src/cli/settings.js'
import { createDetector } from '../../src/core/camera/select.js'
import { createEngine } from '../../src/core/engine.js'
import type { Alert, AlertAction } from '../../src/core/ports.js'
import { handleAlertAction } from '../../src/main/alert-actions.js'
import type { TrustEntry } from '../../src/shared/trust.js'
import { sleepAs, type Held } from '../support/impostors.js'
import { makeDevice } from '../support/processes.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
const held = (h: Held) => (cleanups.push(() => h.stop()), h)

async function until(test: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** A data directory whose settings trust zoom's executable; the test device pattern. */
async function scene() {
  const { dir: devDir, pattern } = makeDevice()
  const dir = mkdtempSync(join(tmpdir(), 'camguard-data-'))
  const zoom = held(await sleepAs('zoom', join(devDir, 'video0')))
  const zoomEntry: TrustEntry = { exe: zoom.exe, name: 'zoom', kinds: ['camera'] }
  writeFileSync(
    join(dir, 'settings.json'),
    JSON.stringify({ trustedApps: [zoomEntry], devicePatterns: [pattern] }),
  )
  const trusted = () =>
    (JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { trustedApps: TrustEntry[] })
      .trustedApps
  return { dir, devDir, pattern, zoom, zoomEntry, trusted }
}

type Face = (s: Awaited<ReturnType<typeof scene>>) => Promise<{
  alert: () => Alert | null
  act: (action: AlertAction) => void
  end: () => Promise<void>
}>

/** `camguard watch`, run in this process: its notifier gets each alert and the button pressed. */
const cliWatch: Face = async (s) => {
  let alert: Alert | null = null
  let onAction: ((a: AlertAction | 'click') => void) | undefined
  let release: (signal: string) => void = () => undefined
  const sink = new PassThrough().resume()
  const code = run(['watch', '--interval', '100'], {
    out: sink,
    err: sink,
    env: { ...process.env, CAMGUARD_DATA_DIR: s.dir, XDG_RUNTIME_DIR: s.dir },
    platform: 'linux',
    home: s.dir,
    version: '0.0.0',
    createNotifier: () => ({
      notify: (a, act) => {
        alert = a
        onAction = act
      },
    }),
    stopSignal: () => new Promise<string>((r) => (release = r)),
  })
  return {
    alert: () => alert,
    act: (action) => onAction!(action),
    async end() {
      release('SIGTERM')
      expect(await code).toBe(0)
    },
  }
}

/** The app's main process: its notification handler on a real engine. */
const appHandler: Face = async (s) => {
  const settings = openCliSettings(s.dir, () => undefined, true)
  const engine = createEngine({
    detector: createDetector({ platform: 'linux', devicePatterns: () => settings.get().devicePatterns }),
    settings,
    intervalMs: 100,
  })
  let alert: Alert | null = null
  engine.onAlert((a) => (alert = a))
  await engine.start()
  const views: string[] = []
  return {
    alert: () => alert,
    act: (action) =>
      handleAlertAction({ engine, show: (v) => views.push(v), log: () => undefined }, alert!, action),
    async end() {
      await engine.stop()
      settings.close()
      expect(views).toEqual(['status', 'status'])
    },
  }
}

describe.each([
  ['camguard watch (its notifier)', cliWatch],
  ["the app's notification handler", appHandler],
])('Trust and Stop app from an alert in %s', (_face, face) => {
  it('act on the untrusted app only, never on the trusted one beside it', { timeout: 120_000 }, async () => {
    const s = await scene()
    const f = await face(s)
    cleanups.push(() => f.end().catch(() => undefined))
    // Let the monitor see zoom alone first (expected: no alert), then the stranger joins.
    await new Promise((r) => setTimeout(r, 1000))
    expect(f.alert()).toBeNull()
    const spy = held(await sleepAs('spycam', join(s.devDir, 'video1')))
    await until(() => f.alert() !== null, 'the alert')
    expect(f.alert()!.targets.stop).toEqual([
      { pid: spy.pid, name: 'spycam', exe: spy.exe, startedAt: expect.stringMatching(/^\d+$/) },
    ])

    f.act('trust')
    await until(() => s.trusted().length === 2, 'the trust to be saved')
    expect(s.trusted()).toEqual([s.zoomEntry, { exe: spy.exe, name: 'spycam', kinds: ['camera'] }])

    f.act('stop-app')
    await until(() => !spy.alive(), 'spycam to be stopped')
    // Time enough for a wrong second stop to have reached zoom.
    await new Promise((r) => setTimeout(r, 500))
    expect(s.zoom.alive()).toBe(true)
    await f.end()
  })
})
