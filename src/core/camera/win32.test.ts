// The Windows detector on recorded and constructed registry and process answers.
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../tests/support/manual-clock.js'
import { fakeWin, fixture, type WinRecording } from '../../../tests/support/native-fakes.js'
import { createWin32Detector } from './win32.js'

const RECORDED = fixture<WinRecording>('win32/consent-store.json')

function detector(recording: WinRecording = RECORDED) {
  const win = fakeWin(recording)
  const clock = new ManualClock(Date.parse('2024-05-14T09:40:00Z'))
  const d = createWin32Detector({ clock, native: win.loaded })
  return { d, win, clock }
}

const stoppedAll = (keys: WinRecording['HKCU']) =>
  (keys as { key: string; lastUsedTimeStart?: string }[]).map((k) => ({
    ...k,
    lastUsedTimeStop: k.lastUsedTimeStart ?? null,
  }))

describe('Windows detector (ConsentStore)', () => {
  it('reports the running apps of the recording on one Camera, and why a record was ignored', async () => {
    const { d } = detector()
    const snap = await d.snapshot()
    expect(snap).toMatchObject({
      state: 'on',
      detector: 'win32-consent',
      checkedAt: '2024-05-14T09:40:00.000Z',
    })
    expect(snap.cameras).toHaveLength(1)
    expect(snap.cameras[0]!.users.map((u) => [u.name, u.pid])).toEqual([
      ['Windows Camera', 8020],
      ['Zoom', 7312],
      ['obs64', 6220],
    ])
    expect(snap.warnings.join('\n')).toMatch(/ObsCam .* not running/)
  })

  it('says off when every app stopped, without listing processes', async () => {
    const { d, win } = detector({
      ...RECORDED,
      HKCU: stoppedAll(RECORDED.HKCU),
      HKLM: stoppedAll(RECORDED.HKLM),
    })
    const snap = await d.snapshot()
    expect(snap.state).toBe('off')
    expect(snap.cameras[0]!.inUse).toBe(false)
    expect(win.processLists).toBe(0)
  })

  it('says unknown, never off, when processes cannot be listed or the list is empty', async () => {
    for (const processes of [null, []]) {
      const snap = await detector({ ...RECORDED, processes }).d.snapshot()
      expect(snap.state).toBe('unknown')
      expect(snap.error).toMatch(/could not be listed/)
    }
  })

  it("says unknown with the reason when the user's record cannot be read or does not exist", async () => {
    const denied = await detector({
      ...RECORDED,
      HKCU: 'RegOpenKeyExW failed: error 5 (access denied)',
    }).d.snapshot()
    expect(denied).toMatchObject({ state: 'unknown', error: expect.stringMatching(/access denied/) })
    const missing = await detector({ ...RECORDED, HKCU: null }).d.snapshot()
    expect(missing).toMatchObject({ state: 'unknown', error: expect.stringMatching(/version 1903/) })
  })

  it('keeps going without the machine-wide store, with a warning', async () => {
    const snap = await detector({
      ...RECORDED,
      HKLM: 'RegOpenKeyExW failed: error 5 (access denied)',
    }).d.snapshot()
    expect(snap.state).toBe('on')
    expect(snap.warnings.join('\n')).toMatch(/machine-wide camera record/)
    expect((await detector({ ...RECORDED, HKLM: null }).d.snapshot()).warnings.join('\n')).not.toMatch(
      /machine-wide/,
    )
  })

  it('says unknown with the reason when the native bridge did not load', async () => {
    const d = createWin32Detector({
      native: { ok: false, error: 'the native bridge (koffi) could not be loaded: x' },
    })
    expect(await d.snapshot()).toMatchObject({ state: 'unknown', error: expect.stringMatching(/koffi/) })
  })

  it('is woken by registry changes, reads slowly while off, and re-checks processes while on', async () => {
    const off = { ...RECORDED, HKCU: stoppedAll(RECORDED.HKCU), HKLM: stoppedAll(RECORDED.HKLM) }
    const { d, win } = detector(off)
    let changes = 0
    const watch = await d.watch!(() => changes++)
    expect(watch.mode).toBe('event')
    expect(win.watchers.map((w) => w.hive)).toEqual(['HKCU', 'HKLM'])
    await d.snapshot()
    expect(watch.intervalMs()).toBe(30_000)

    win.change('HKCU', RECORDED.HKCU as never)
    expect(changes).toBe(1)
    expect((await d.snapshot()).state).toBe('on')
    // A crash changes no record: while on, the monitor's own interval re-checks the processes.
    expect(watch.intervalMs()).toBeNull()
    await watch.stop()
    expect(win.watchers.every((w) => w.closed)).toBe(true)
  })

  it('falls back to polling, with the reason, when the registry cannot be watched', async () => {
    const { d } = detector({ ...RECORDED, HKCU: null, HKLM: null })
    const watch = await d.watch!(() => undefined)
    expect(watch.mode).toBe('poll')
    const diagnosis = await d.diagnose!()
    expect(diagnosis.modeWhy).toMatch(/cannot be watched/)
    await watch.stop()
  })

  it('answers unknown after close()', async () => {
    const { d } = detector()
    await d.close()
    expect((await d.snapshot()).state).toBe('unknown')
  })
})
