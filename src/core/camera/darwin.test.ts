// The macOS detector's logic on recorded and constructed CoreMediaIO answers: what is on, what is
// virtual, what cannot be known, and how listeners wake the monitor.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ManualClock, flush } from '../../../tests/support/manual-clock.js'
import {
  fakeMac,
  fakeRunner,
  fakeStreams,
  fixture,
  type CmioRecording,
} from '../../../tests/support/native-fakes.js'
import { fourCC } from '../native/darwin.js'
import { createDarwinDetector, type DarwinDetectorDeps } from './darwin.js'
import { alertVirtualFrom } from './select.js'

const RECORDED = fixture<CmioRecording>('darwin/cmio-devices.json')
const [FACETIME, BRIO, OBS] = RECORDED.devices as [
  CmioRecording['devices'][0],
  CmioRecording['devices'][0],
  CmioRecording['devices'][0],
]
const LOG = readFileSync(
  fileURLToPath(new URL('../../../tests/fixtures/darwin/sensor-indicators-stream.ndjson', import.meta.url)),
  'utf8',
).split('\n')
const ZOOM_NEW_FORM = LOG[4]!

function detector(recording: CmioRecording, extra: Partial<DarwinDetectorDeps> = {}) {
  const mac = fakeMac(recording)
  const streams = fakeStreams()
  const run = fakeRunner({ pids: { 'us.zoom.xos': 8123 } })
  const clock = new ManualClock(Date.parse('2024-05-14T09:40:00Z'))
  const d = createDarwinDetector({
    runner: run.runner,
    spawnLines: streams.spawnLines,
    clock,
    native: mac.loaded,
    administrator: true,
    ...extra,
  })
  return { d, mac, clock, ...streams, ...run }
}

describe('macOS detector (CoreMediaIO)', () => {
  it('reads the recorded devices: the built-in camera on, the USB camera off, OBS marked virtual', async () => {
    const { d, started } = detector(RECORDED)
    const snap = await d.snapshot()
    expect(snap).toMatchObject({
      state: 'on',
      detector: 'darwin-coremediaio',
      checkedAt: '2024-05-14T09:40:00.000Z',
    })
    expect(snap.cameras.map((c) => [c.name, c.inUse, c.virtual ?? false])).toEqual([
      ['FaceTime HD Camera', true, false],
      ['Logitech BRIO', false, false],
      ['OBS Virtual Camera', true, true],
    ])
    expect(snap.cameras[0]!.id).toBe('0x8020000005ac8514')
    expect(snap.warnings.join('\n')).toMatch(
      /OBS Virtual Camera is a virtual camera.*camguard config set alertVirtualDevices true/,
    )
    // No app named yet: said, not guessed.
    expect(snap.cameras[0]!.users).toEqual([
      { pid: null, name: 'Unknown app', exe: null, evidence: 'os-report' },
    ])
    // The app is named as soon as Control Center logs it.
    started[0]!.emit(ZOOM_NEW_FORM)
    expect((await d.snapshot()).cameras[0]!.users).toEqual([
      { pid: 8123, name: 'zoom.us', exe: null, evidence: 'os-report', bundleId: 'us.zoom.xos' },
    ])
    await d.close()
  })

  it('does not turn on for a virtual camera stuck "in use", unless asked to', async () => {
    const stuck: CmioRecording = { devices: [{ ...FACETIME, running: false }, BRIO, OBS] }
    const quiet = detector(stuck)
    const snap = await quiet.d.snapshot()
    expect(snap.state).toBe('off')
    expect(snap.cameras.find((c) => c.virtual)).toMatchObject({ inUse: true })
    await quiet.d.close()

    const asked = detector(stuck, { alertVirtualCameras: true })
    expect((await asked.d.snapshot()).state).toBe('on')
    await asked.d.close()

    // The alertVirtualDevices setting is asked at each check: a change applies without a restart.
    let setting = false
    const live = detector(stuck, { alertVirtualCameras: () => setting })
    expect((await live.d.snapshot()).state).toBe('off')
    setting = true
    const on = await live.d.snapshot()
    expect(on.state).toBe('on')
    expect(on.warnings.join('\n')).not.toMatch(/is a virtual camera/)
    setting = false
    expect((await live.d.snapshot()).state).toBe('off')
    await live.d.close()

    // CAMGUARD_VIRTUAL_CAMERAS=alert overrides the setting; otherwise the setting decides.
    expect(alertVirtualFrom({ CAMGUARD_VIRTUAL_CAMERAS: 'alert' }, () => false)()).toBe(true)
    expect(alertVirtualFrom({}, () => true)()).toBe(true)
    expect(alertVirtualFrom({}, () => false)()).toBe(false)
    expect(alertVirtualFrom({})()).toBe(false)

    // A name alone marks a virtual camera whose author set no transport type.
    const named = detector({
      devices: [{ id: 60, uid: 'x', name: 'Snap Camera Virtual', transport: 'usb ', running: true }],
    })
    expect((await named.d.snapshot()).state).toBe('off')
    const byTransport = detector({
      devices: [{ id: 61, uid: 'y', name: 'Camo', transport: 'virt', running: true }],
    })
    expect((await byTransport.d.snapshot()).state).toBe('off')
  })

  it('says unknown, never off, when the device list cannot be read', async () => {
    const { d } = detector({ devices: [], failures: { 'dev#:1': fourCC('!obj') } })
    const snap = await d.snapshot()
    expect(snap.state).toBe('unknown')
    expect(snap.error).toMatch(/cannot ask macOS about the camera: .*'!obj' \(no such object\)/)
    expect(snap.cameras).toEqual([])
  })

  it("says unknown when a camera's running flag cannot be read and no other camera is on", async () => {
    const { d } = detector({
      devices: [{ ...FACETIME, running: false }, BRIO],
      failures: { 'gone:47': fourCC('who?') },
    })
    const snap = await d.snapshot()
    expect(snap.state).toBe('unknown')
    expect(snap.error).toMatch(/camera 47: .*'who\?' \(unknown property\)/)

    // With another camera on, on is the truth: the failure is a warning.
    const other = detector({ devices: [FACETIME, BRIO], failures: { 'gone:47': fourCC('who?') } })
    const on = await other.d.snapshot()
    expect(on.state).toBe('on')
    expect(on.warnings.join('\n')).toMatch(/did not say whether every camera is in use/)
  })

  it('says unknown with the reason when the native bridge did not load', async () => {
    const { d } = detector(RECORDED, {
      native: { ok: false, error: 'CoreMediaIO could not be loaded: dlopen failed' },
    })
    const snap = await d.snapshot()
    expect(snap).toMatchObject({ state: 'unknown', error: expect.stringMatching(/dlopen failed/) })
    const watch = await d.watch!(() => undefined)
    expect(watch.mode).toBe('poll')
    await watch.stop()
  })

  it('says off with a note where macOS lists no camera at all', async () => {
    const snap = await detector({ devices: [] }).d.snapshot()
    expect(snap.state).toBe('off')
    expect(snap.warnings).toContain('macOS lists no camera.')
  })

  it('believes Control Center when it names an app while no listed camera runs', async () => {
    const { d, started } = detector({ devices: [{ ...FACETIME, running: false }] })
    await d.snapshot()
    started[0]!.emit(ZOOM_NEW_FORM)
    const snap = await d.snapshot()
    expect(snap.state).toBe('on')
    expect(snap.cameras.at(-1)).toMatchObject({ id: 'darwin-control-center', inUse: true })
  })

  it('listens to every camera and to cameras coming and going; changes wake the monitor', async () => {
    const { d, mac } = detector({ devices: [{ ...FACETIME, running: false }, BRIO] })
    let changes = 0
    const watch = await d.watch!(() => changes++)
    expect(watch.mode).toBe('event')
    expect(watch.intervalMs()).toBe(30_000) // the slow reconciliation read
    expect(mac.listeners.map((l) => l.obj).sort()).toEqual([1, 33, 47])

    mac.setRunning(33, true)
    expect(changes).toBe(1)
    expect((await d.snapshot()).state).toBe('on')

    mac.plug({ id: 70, uid: 'new', name: 'Elgato Facecam', transport: 'usb ', running: false })
    expect(changes).toBe(2)
    expect(mac.listeners.map((l) => l.obj).sort()).toEqual([1, 33, 47, 70])
    mac.setRunning(70, true)
    expect(changes).toBe(3)

    await watch.stop()
    expect(mac.listeners).toEqual([])
  })

  it('pumps the run loop on the clock where none runs (plain Node), and not in Electron', async () => {
    const plain = detector(RECORDED, { pumpRunLoop: true })
    const watch = await plain.d.watch!(() => undefined)
    await plain.d.snapshot()
    expect(plain.mac.pumps).toBe(1) // before the read
    await plain.clock.advance(2000)
    expect(plain.mac.pumps).toBe(5)
    await watch.stop()
    await plain.clock.advance(2000)
    expect(plain.mac.pumps).toBe(5)

    const electron = detector(RECORDED, { pumpRunLoop: false })
    await electron.d.watch!(() => undefined)
    await electron.d.snapshot()
    await electron.clock.advance(2000)
    await flush()
    expect(electron.mac.pumps).toBe(0)
    await electron.d.close()
  })
})
