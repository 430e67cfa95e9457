// The macOS microphone on a constructed CoreAudio answer through the injected native calls.
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../tests/support/manual-clock.js'
import { fakeMacAudio, fixture, type AudioRecording } from '../../../tests/support/native-fakes.js'
import { fourCC } from '../native/darwin.js'
import { createMicDetector, type MicDetectorChoice } from './select.js'

const RECORDED = fixture<AudioRecording>('darwin/coreaudio-devices.json')

function detector(recording: AudioRecording = RECORDED, extra: Partial<MicDetectorChoice> = {}) {
  const mac = fakeMacAudio(recording)
  const clock = new ManualClock(Date.parse('2026-11-28T12:00:00Z'))
  const d = createMicDetector({
    platform: 'darwin',
    devicePatterns: () => [],
    clock,
    darwin: mac.loaded,
    hasRunLoop: true,
    env: {},
    ...extra,
  })
  return { d, mac, clock }
}

const zoom = {
  pid: 812,
  name: 'zoom.us',
  exe: '/Applications/zoom.us.app/Contents/MacOS/zoom.us',
  evidence: 'os-report',
}

describe('macOS microphone (CoreAudio)', () => {
  it('lists the input devices, and names the app recording by its pid and program', async () => {
    const snap = await detector().d.snapshot()
    expect(snap).toMatchObject({ state: 'on', detector: 'darwin-coreaudio' })
    expect(snap.cameras).toEqual([
      {
        id: 'BuiltInMicrophoneDevice',
        name: 'MacBook Pro Microphone',
        devices: ['BuiltInMicrophoneDevice'],
        inUse: true,
        users: [zoom],
      },
      {
        id: 'BlackHole2ch_UID',
        name: 'BlackHole 2ch',
        devices: ['BlackHole2ch_UID'],
        inUse: false,
        users: [],
      },
      {
        id: 'zoom.us.ZoomAudioDevice',
        name: 'ZoomAudioDevice',
        devices: ['zoom.us.ZoomAudioDevice'],
        inUse: false,
        users: [],
      },
    ])
    // A virtual input running is said, but is not the microphone.
    expect(snap.warnings.join('\n')).toMatch(/ZoomAudioDevice is a virtual input/)
  })

  it('reads "running somewhere" in the global scope', async () => {
    const { d, mac } = detector()
    const seen: number[] = []
    const uint32 = mac.loaded.ok ? mac.loaded.value.audio.uint32 : null
    if (mac.loaded.ok)
      mac.loaded.value.audio.uint32 = (obj, a) => {
        if (a.selector === fourCC('gone')) seen.push(a.scope)
        return uint32!(obj, a)
      }
    await d.snapshot()
    expect(new Set(seen)).toEqual(new Set([fourCC('glob')]))
  })

  it('says off when no microphone runs, even while an app plays sound', async () => {
    const { d, mac } = detector()
    mac.setRunning(73, false)
    mac.setRecording(120, false)
    const snap = await d.snapshot()
    expect(snap.state).toBe('off')
    expect(snap.cameras.every((c) => !c.inUse)).toBe(true)
  })

  it('turns on for a running virtual input only when the alertVirtualDevices setting (or the env var) asks', async () => {
    let setting = false
    const { d, mac } = detector(RECORDED, { alertVirtualDevices: () => setting })
    mac.setRunning(73, false) // the real microphone is idle; only ZoomAudioDevice runs
    const off = await d.snapshot()
    expect(off.state).toBe('off')
    expect(off.warnings.join('\n')).toMatch(
      /ZoomAudioDevice is a virtual input.*camguard config set alertVirtualDevices true/,
    )
    // The setting is read at each check: turning it on applies without a new detector.
    setting = true
    const on = await d.snapshot()
    expect(on.state).toBe('on')
    expect(on.cameras.find((c) => c.name === 'ZoomAudioDevice')).toMatchObject({ inUse: true })
    expect(on.warnings.join('\n')).not.toMatch(/virtual input/)

    // CAMGUARD_VIRTUAL_CAMERAS=alert still asks, whatever the setting says.
    const forced = detector(RECORDED, {
      alertVirtualDevices: () => false,
      env: { CAMGUARD_VIRTUAL_CAMERAS: 'alert' },
    })
    forced.mac.setRunning(73, false)
    expect((await forced.d.snapshot()).state).toBe('on')
  })

  it('says on with "unknown app" where macOS cannot name apps (before 14.2)', async () => {
    const snap = await detector({ ...RECORDED, processes: null }).d.snapshot()
    expect(snap.state).toBe('on')
    expect(snap.cameras[0]!.users).toEqual([
      { pid: null, name: 'unknown app', exe: null, evidence: 'os-report' },
    ])
    expect(snap.warnings.join('\n')).toMatch(/from macOS 14.2 on/)
  })

  it('says unknown, never off, when a call fails', async () => {
    const listFails = await detector({ ...RECORDED, failures: { 'dev#:1': fourCC('!obj') } }).d.snapshot()
    expect(listFails).toMatchObject({ state: 'unknown', error: expect.stringMatching(/no such object/) })
    const idle = { ...RECORDED, devices: RECORDED.devices.map((d) => ({ ...d, running: false })) }
    const runningFails = await detector({ ...idle, failures: { 'gone:73': fourCC('stop') } }).d.snapshot()
    expect(runningFails).toMatchObject({ state: 'unknown', error: expect.stringMatching(/device 73/) })
    // When another microphone is known to run, one failing does not hide that.
    const partly = await detector({ ...RECORDED, failures: { 'gone:91': fourCC('stop') } }).d.snapshot()
    expect(partly.state).toBe('on')
    const notLoaded = createMicDetector({
      platform: 'darwin',
      devicePatterns: () => [],
      darwin: { ok: false, error: 'koffi is missing' },
    })
    expect(await notLoaded.snapshot()).toMatchObject({
      state: 'unknown',
      error: expect.stringMatching(/koffi is missing/),
    })
  })

  it('is told by listeners when a microphone starts, and when an app starts recording', async () => {
    const { d, mac } = detector({
      ...RECORDED,
      devices: RECORDED.devices.map((x) => ({ ...x, running: false })),
    })
    let changes = 0
    const w = await d.watch!(() => changes++)
    expect(w.mode).toBe('event')
    expect(w.intervalMs()).toBe(30_000)
    mac.setRunning(73, true)
    expect(changes).toBe(1)
    mac.addProcess({ id: 130, pid: 990, runningInput: false })
    expect(changes).toBe(2)
    mac.setRecording(130, true) // a listener on the process that just came
    expect(changes).toBe(3)
    await w.stop()
    expect(mac.listeners).toEqual([])
  })

  it('falls back to polling when listeners cannot be set', async () => {
    const { d } = detector({ ...RECORDED, failures: { 'gone:73': fourCC('!obj') } })
    const w = await d.watch!(() => undefined)
    expect([w.mode, w.intervalMs()]).toEqual(['poll', null])
  })
})
