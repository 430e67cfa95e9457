// The macOS binding: its constants and the listener trampoline everywhere koffi runs; the real
// CoreMediaIO calls where macOS runs (the CI matrix).
import koffi from 'koffi'
import { describe, expect, it } from 'vitest'
import {
  HAL,
  TRANSPORT,
  bindHalObjects,
  describeOSStatus,
  fourCC,
  globalAddress,
  loadMacNative,
  type HalCalls,
  type PropertyAddress,
} from './darwin.js'

describe('HAL constants', () => {
  it('packs FourCC selectors as the headers do', () => {
    expect(HAL.DEVICES).toBe(0x64657623)
    expect(HAL.IS_RUNNING_SOMEWHERE).toBe(1735356005)
    expect(HAL.SCOPE_GLOBAL).toBe(0x676c6f62)
    expect(HAL.DEVICE_UID).toBe(0x75696420)
    expect(TRANSPORT.VIRTUAL).toBe(0x76697274)
    expect(describeOSStatus(2003332927)).toBe("'who?' (unknown property)")
    expect(describeOSStatus(-50)).toBe('-50')
  })
})

describe('bindHalObjects over raw calls', () => {
  const proto = koffi.proto(
    'int32_t TestListenerProc(uint32_t obj, uint32_t count, void *addresses, void *ctx)',
  )
  // Raw calls answered in JS, with the real koffi trampoline in between for listeners.
  function raw() {
    const registered: { obj: number; proc: unknown; ctx: bigint }[] = []
    const removed: bigint[] = []
    const calls: HalCalls = {
      prefix: 'TestObject',
      has: () => true,
      getSize(_obj, a: PropertyAddress, size) {
        size[0] = a.selector === HAL.DEVICES ? 12 : 4
        return 0
      },
      getData(obj, a, buf, used) {
        if (obj === 99) return fourCC('!obj')
        if (a.selector === HAL.DEVICES) [33, 47, 52].forEach((v, i) => buf.writeUInt32LE(v, i * 4))
        else buf.writeUInt32LE(1, 0)
        used[0] = Math.min(buf.length, a.selector === HAL.DEVICES ? 12 : 4)
        return 0
      },
      addListener(obj, _a, proc, ctx) {
        registered.push({ obj, proc, ctx })
        return 0
      },
      removeListener(_obj, _a, _proc, ctx) {
        removed.push(ctx)
        return 0
      },
      listenerType: proto,
    }
    const hal = bindHalObjects(koffi, calls, { stringOf: () => 'x', release: () => undefined })
    // What the OS would do: call the C function pointer it was given, with its context.
    const fire = (i: number) => {
      const r = registered[i]!
      const fn = koffi.decode(r.proc, proto) as (obj: number, n: number, a: null, ctx: bigint) => number
      return fn(r.obj, 1, null, r.ctx)
    }
    return { hal, registered, removed, fire }
  }

  it('reads numbers and lists, and turns an OSStatus into a thrown reason', () => {
    const { hal } = raw()
    expect(hal.uint32List(HAL.SYSTEM_OBJECT, globalAddress(HAL.DEVICES))).toEqual([33, 47, 52])
    expect(hal.uint32(33, globalAddress(HAL.IS_RUNNING_SOMEWHERE))).toBe(1)
    expect(() => hal.uint32(99, globalAddress(HAL.IS_RUNNING_SOMEWHERE))).toThrow(/'!obj' \(no such object\)/)
  })

  it('routes each call of the one C trampoline to its listener, and stops after removal', () => {
    const { hal, registered, removed, fire } = raw()
    const seen: string[] = []
    const stopA = hal.listen(33, globalAddress(HAL.IS_RUNNING_SOMEWHERE), () => seen.push('a'))
    hal.listen(47, globalAddress(HAL.IS_RUNNING_SOMEWHERE), () => seen.push('b'))
    expect(registered[0]!.proc).toBe(registered[1]!.proc) // one trampoline for all
    expect(fire(1)).toBe(0)
    expect(fire(0)).toBe(0)
    expect(seen).toEqual(['b', 'a'])
    stopA()
    stopA()
    expect(removed).toEqual([registered[0]!.ctx])
    fire(0)
    expect(seen).toEqual(['b', 'a'])
  })
})

describe.runIf(process.platform === 'darwin')('CoreMediaIO on this Mac', () => {
  it('loads, lists the video devices and reads whether each runs', () => {
    const mac = loadMacNative()
    if (!mac.ok) throw new Error(mac.error)
    mac.value.pumpRunLoop()
    const ids = mac.value.cmio.uint32List(HAL.SYSTEM_OBJECT, globalAddress(HAL.DEVICES))
    for (const id of ids) {
      expect([0, 1]).toContain(mac.value.cmio.uint32(id, globalAddress(HAL.IS_RUNNING_SOMEWHERE)))
      expect(typeof mac.value.cmio.string(id, globalAddress(HAL.NAME))).toBe('string')
    }
    const remove = mac.value.cmio.listen(HAL.SYSTEM_OBJECT, globalAddress(HAL.DEVICES), () => undefined)
    remove()
  })
})
