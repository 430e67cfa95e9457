// The Windows binding: struct layout and time conversion everywhere koffi runs; the real registry
// and process calls where Windows runs (the CI matrix).
import koffi from 'koffi'
import { describe, expect, it } from 'vitest'
import { describeWin32Error, filetimeToMs, loadWinNative, processEntryLayout } from './win32.js'

describe('Windows binding basics', () => {
  it.runIf(process.arch === 'x64' || process.arch === 'arm64')(
    'lays PROCESSENTRY32W out as tlhelp32.h does on 64-bit',
    () => {
      expect(processEntryLayout(koffi)).toEqual({ size: 568, exeOffset: 44 })
    },
  )

  it('converts FILETIMEs to Unix time', () => {
    expect(filetimeToMs(116444736000000000n)).toBe(0)
    expect(filetimeToMs(0x1daa5e14aae1c00n)).toBe(Date.parse('2024-05-14T09:30:00Z'))
    expect(filetimeToMs(0n)).toBeNull()
    expect(describeWin32Error('RegOpenKeyExW', 5)).toBe('RegOpenKeyExW failed: error 5 (access denied)')
  })

  it.runIf(process.platform !== 'win32')('says why it cannot load elsewhere', () => {
    expect(loadWinNative()).toEqual({ ok: false, error: expect.stringMatching(/only on Windows/) })
  })
})

describe.runIf(process.platform === 'win32')('the registry and processes on this PC', () => {
  it('lists this very process with its full path and start time', () => {
    const win = loadWinNative()
    if (!win.ok) throw new Error(win.error)
    const me = win.value.listProcesses().find((p) => p.pid === process.pid)
    expect(me?.path?.toLowerCase()).toBe(process.execPath.toLowerCase())
    expect(me?.startMs).toBeLessThanOrEqual(Date.now())
    expect(me?.startMs).toBeGreaterThan(Date.now() - 3_600_000)
  })

  it('reads the camera store of this user and the machine, and watches it', () => {
    const win = loadWinNative()
    if (!win.ok) throw new Error(win.error)
    for (const hive of ['HKCU', 'HKLM'] as const) {
      const records = win.value.readConsentStore(hive, 'webcam')
      expect(records === null || Array.isArray(records)).toBe(true)
      if (records) win.value.watchConsentStore(hive, 'webcam', () => undefined).close()
    }
  })
})
