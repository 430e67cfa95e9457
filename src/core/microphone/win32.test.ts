// The Windows microphone: the camera's ConsentStore detector on the store's `microphone` key, on a
// constructed recording through the injected registry and process calls.
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../tests/support/manual-clock.js'
import { fakeWin, fixture, type WinRecording } from '../../../tests/support/native-fakes.js'
import { createMicDetector } from './select.js'

const RECORDED = fixture<WinRecording>('win32/consent-store-microphone.json')

function detector(recording: WinRecording = RECORDED) {
  const win = fakeWin(recording)
  const clock = new ManualClock(Date.parse('2024-05-14T09:40:00Z'))
  const d = createMicDetector({ platform: 'win32', devicePatterns: () => [], clock, win32: win.loaded })
  return { d, win }
}

describe('Windows microphone (ConsentStore\\microphone)', () => {
  it('names the app Windows says records, checked against the running processes', async () => {
    const snap = await detector().d.snapshot()
    expect(snap).toMatchObject({ state: 'on', detector: 'win32-consent' })
    expect(snap.cameras).toEqual([
      {
        id: 'win32-microphone',
        name: 'Microphone',
        devices: [],
        inUse: true,
        users: [
          {
            pid: 7312,
            name: 'Zoom',
            exe: 'C:\\Users\\alex\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe',
            evidence: 'os-report',
          },
        ],
      },
    ])
    // A record left behind by a crash does not make the microphone on.
    expect(snap.warnings.join('\n')).toMatch(/Discord uses the microphone: it is not running/)
  })

  it('reads the microphone key, not the webcam key', async () => {
    const { d } = detector({ ...RECORDED, capability: 'webcam' })
    const snap = await d.snapshot()
    expect(snap).toMatchObject({
      state: 'unknown',
      error: expect.stringMatching(/no microphone privacy record/),
    })
  })

  it('says unknown, never off, when the store or the processes cannot be read', async () => {
    const denied = await detector({
      ...RECORDED,
      HKCU: 'RegOpenKeyExW failed: error 5 (access denied)',
    }).d.snapshot()
    expect(denied).toMatchObject({
      state: 'unknown',
      error: expect.stringMatching(/microphone privacy record: .*access denied/),
    })
    const noList = await detector({ ...RECORDED, processes: null }).d.snapshot()
    expect(noList).toMatchObject({
      state: 'unknown',
      error: expect.stringMatching(/Zoom.* using the microphone/),
    })
  })

  it('is told of changes to the microphone key', async () => {
    const { d, win } = detector()
    const changes: number[] = []
    const w = await d.watch!(() => changes.push(1))
    expect(w.mode).toBe('event')
    expect(win.watchers.map((x) => [x.hive, x.capability])).toEqual([
      ['HKCU', 'microphone'],
      ['HKLM', 'microphone'],
    ])
    win.change('HKCU', [])
    expect(changes).toHaveLength(1)
    expect((await d.snapshot()).state).toBe('off')
    await w.stop()
  })
})
