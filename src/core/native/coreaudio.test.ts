// The CoreAudio binding: its constants everywhere, the real calls where macOS runs (the CI matrix).
import { describe, expect, it } from 'vitest'
import { AUDIO, loadMacAudioNative } from './coreaudio.js'
import { HAL, globalAddress } from './darwin.js'

describe('CoreAudio constants', () => {
  it('packs the process-object selectors as the headers do', () => {
    expect(AUDIO.PROCESS_OBJECTS).toBe(0x70727323)
    expect(AUDIO.PROCESS_PID).toBe(0x70706964)
    expect(AUDIO.PROCESS_RUNNING_INPUT).toBe(0x70697269)
    expect(AUDIO.PROCESS_BUNDLE_ID).toBe(0x70626964)
  })
})

describe.runIf(process.platform !== 'darwin')('CoreAudio elsewhere', () => {
  it('does not load, and says why', () => {
    expect(loadMacAudioNative()).toEqual({
      ok: false,
      error: `CoreAudio exists only on macOS, not on ${process.platform}`,
    })
  })
})

describe.runIf(process.platform === 'darwin')('CoreAudio on this Mac', () => {
  it('lists the audio devices and reads whether each runs somewhere, and the path of this process', () => {
    const mac = loadMacAudioNative()
    if (!mac.ok) throw new Error(mac.error)
    const ids = mac.value.audio.uint32List(HAL.SYSTEM_OBJECT, globalAddress(HAL.DEVICES))
    for (const id of ids)
      expect([0, 1]).toContain(mac.value.audio.uint32(id, globalAddress(HAL.IS_RUNNING_SOMEWHERE)))
    expect(mac.value.processPath(process.pid)).toBe(process.execPath)
  })
})
