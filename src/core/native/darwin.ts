// macOS: CoreMediaIO (cameras) through koffi, behind the property-address API that CoreMediaIO and
// CoreAudio share (an object ID, a {selector, scope, element} address, get / has / listen). The
// camera detector takes a HalObjects; CoreAudio (microphones) plugs into the same shape through
// bindHalObjects with its own getter.
import type { TypeObject } from 'koffi'
import { bindNative, CallbackTable, NativeCallError, namedType, type Koffi, type Loaded } from './koffi.js'

/** Four ASCII characters packed big-endian into a UInt32, as Apple's headers spell selectors. */
export function fourCC(code: string): number {
  if (code.length !== 4) throw new Error(`a FourCC has four characters: "${code}"`)
  return (
    ((code.charCodeAt(0) << 24) |
      (code.charCodeAt(1) << 16) |
      (code.charCodeAt(2) << 8) |
      code.charCodeAt(3)) >>>
    0
  )
}

/** An OSStatus in words: its FourCC when printable ('who?'), else the number. */
export function describeOSStatus(status: number): string {
  const u = status >>> 0
  const chars = [u >>> 24, (u >>> 16) & 0xff, (u >>> 8) & 0xff, u & 0xff]
  const known = KNOWN_STATUS[u]
  if (chars.every((c) => c >= 0x20 && c < 0x7f)) {
    const cc = String.fromCharCode(...chars)
    return known ? `'${cc}' (${known})` : `'${cc}'`
  }
  return known ? `${status} (${known})` : String(status)
}

const KNOWN_STATUS: Record<number, string> = {
  [fourCC('who?')]: 'unknown property',
  [fourCC('!obj')]: 'no such object',
  [fourCC('!siz')]: 'bad size',
  [fourCC('stop')]: 'the hardware is not running',
  [fourCC('nope')]: 'illegal operation',
}

/** The system object and the property addresses CamGuard reads (CMIO and CoreAudio use the same codes). */
export const HAL = {
  SYSTEM_OBJECT: 1,
  SCOPE_GLOBAL: fourCC('glob'),
  SCOPE_INPUT: fourCC('inpt'),
  ELEMENT_MAIN: 0,
  DEVICES: fourCC('dev#'),
  IS_RUNNING_SOMEWHERE: fourCC('gone'),
  NAME: fourCC('lnam'),
  DEVICE_UID: fourCC('uid '),
  TRANSPORT_TYPE: fourCC('tran'),
  STREAMS: fourCC('stm#'),
} as const

export const TRANSPORT = {
  VIRTUAL: fourCC('virt'),
  BUILT_IN: fourCC('bltn'),
  USB: fourCC('usb '),
  BLUETOOTH: fourCC('blue'),
} as const

export interface PropertyAddress {
  selector: number
  scope: number
  element: number
}

/** A global-scope, main-element address: what most device properties use. */
export const globalAddress = (selector: number): PropertyAddress => ({
  selector,
  scope: HAL.SCOPE_GLOBAL,
  element: HAL.ELEMENT_MAIN,
})

/** The object-property API CoreMediaIO and CoreAudio share. Every getter throws NativeCallError. */
export interface HalObjects {
  has(obj: number, address: PropertyAddress): boolean
  uint32(obj: number, address: PropertyAddress): number
  uint32List(obj: number, address: PropertyAddress): number[]
  /** A CFString property as a JS string (the CFString is released). */
  string(obj: number, address: PropertyAddress): string
  /** Calls onChange on the JS thread whenever the property changes; returns the remover. */
  listen(obj: number, address: PropertyAddress, onChange: () => void): () => void
}

export interface MacNative {
  cmio: HalObjects
  /**
   * Lets Core Foundation deliver what it has queued (listener calls, refreshed values) in a process
   * that runs no run loop of its own (plain Node). Returns at once.
   */
  pumpRunLoop(): void
}

const FRAMEWORKS = '/System/Library/Frameworks'
const UTF8 = 0x08000100

/**
 * The raw calls of one HAL-style API (CMIO or CoreAudio) in the shape bindHalObjects needs. CMIO's
 * getter takes the buffer size by value and reports the bytes used separately; CoreAudio's uses
 * one in/out size: `getData` hides that difference.
 */
export interface HalCalls {
  prefix: string
  has(obj: number, address: PropertyAddress): boolean
  getSize(obj: number, address: PropertyAddress, size: [number]): number
  /** Fills buf; returns the OSStatus and sets used[0] to the bytes written. */
  getData(obj: number, address: PropertyAddress, buf: Buffer, used: [number]): number
  addListener(obj: number, address: PropertyAddress, proc: unknown, ctx: bigint): number
  removeListener(obj: number, address: PropertyAddress, proc: unknown, ctx: bigint): number
  /** The C listener type, e.g. koffi.proto('int32_t Proc(uint32_t, uint32_t, void *, void *)'). */
  listenerType: TypeObject
}

export interface CoreFoundation {
  stringOf(ref: bigint): string
  release(ref: bigint): void
  pump(): void
}

export function bindCoreFoundation(k: Koffi): CoreFoundation {
  const cf = k.load(`${FRAMEWORKS}/CoreFoundation.framework/CoreFoundation`)
  const getLength = cf.func('long CFStringGetLength(void *s)')
  const maxSize = cf.func('long CFStringGetMaximumSizeForEncoding(long length, uint32_t encoding)')
  const getCString = cf.func('uint8_t CFStringGetCString(void *s, void *buf, long size, uint32_t encoding)')
  const release = cf.func('void CFRelease(void *obj)')
  const runInMode = cf.func(
    'int32_t CFRunLoopRunInMode(void *mode, double seconds, uint8_t returnAfterSourceHandled)',
  )
  const defaultMode = k.decode(cf.symbol('kCFRunLoopDefaultMode'), 'void *') as unknown
  return {
    stringOf(ref) {
      const length = Number(getLength(ref))
      const size = Number(maxSize(length, UTF8)) + 1
      const buf = Buffer.alloc(size)
      if (!getCString(ref, buf, size, UTF8)) throw new Error('CFStringGetCString failed')
      const nul = buf.indexOf(0)
      return buf.toString('utf8', 0, nul < 0 ? size : nul)
    },
    release: (ref) => release(ref),
    pump: () => void runInMode(defaultMode, 0, 0),
  }
}

// One trampoline and table per API (CMIO, CoreAudio) for every listener of the process.
const trampolines = new Map<string, { table: CallbackTable; pointer: bigint }>()

/** HalObjects over one API's raw calls. */
export function bindHalObjects(
  k: Koffi,
  calls: HalCalls,
  cf: Pick<CoreFoundation, 'stringOf' | 'release'>,
): HalObjects {
  const fail = (what: string, status: number): never => {
    throw new NativeCallError(what, status, `${calls.prefix}${what} failed: ${describeOSStatus(status)}`)
  }
  const data = (obj: number, address: PropertyAddress, bytes: number): Buffer => {
    const buf = Buffer.alloc(bytes)
    const used: [number] = [0]
    const status = calls.getData(obj, address, buf, used)
    if (status !== 0) fail('GetPropertyData', status)
    return buf.subarray(0, Math.min(used[0], bytes))
  }
  return {
    has: (obj, address) => calls.has(obj, address),
    uint32(obj, address) {
      const buf = data(obj, address, 4)
      if (buf.length < 4) fail('GetPropertyData', fourCC('!siz'))
      return buf.readUInt32LE(0)
    },
    uint32List(obj, address) {
      const size: [number] = [0]
      const status = calls.getSize(obj, address, size)
      if (status !== 0) fail('GetPropertyDataSize', status)
      if (size[0] === 0) return []
      const buf = data(obj, address, size[0])
      const out: number[] = []
      for (let at = 0; at + 4 <= buf.length; at += 4) out.push(buf.readUInt32LE(at))
      return out
    },
    string(obj, address) {
      const buf = data(obj, address, 8)
      if (buf.length < 8) fail('GetPropertyData', fourCC('!siz'))
      const ref = buf.readBigUInt64LE(0)
      if (ref === 0n) return ''
      try {
        return cf.stringOf(ref)
      } finally {
        cf.release(ref)
      }
    },
    listen(obj, address, onChange) {
      let t = trampolines.get(calls.prefix)
      if (!t) {
        const table = new CallbackTable()
        const pointer = k.register(
          (_obj: number, _count: number, _addresses: unknown, ctx: unknown) => (table.call(ctx), 0),
          k.pointer(calls.listenerType),
        )
        t = { table, pointer }
        trampolines.set(calls.prefix, t)
      }
      const { table, pointer } = t
      const id = table.add(onChange)
      const status = calls.addListener(obj, address, pointer, id)
      if (status !== 0) {
        table.remove(id)
        fail('AddPropertyListener', status)
      }
      return () => {
        if (table.remove(id)) calls.removeListener(obj, address, pointer, id)
      }
    },
  }
}

function bindCmio(k: Koffi): MacNative {
  const cf = bindCoreFoundation(k)
  const lib = k.load(`${FRAMEWORKS}/CoreMediaIO.framework/CoreMediaIO`)
  // 12 bytes, no padding either way (the header packs to 4).
  namedType(k, 'CMIOObjectPropertyAddress', () =>
    k.struct('CMIOObjectPropertyAddress', {
      mSelector: 'uint32_t',
      mScope: 'uint32_t',
      mElement: 'uint32_t',
    }),
  )
  const listenerType = namedType(k, 'CMIOObjectPropertyListenerProc', () =>
    k.proto(
      'int32_t CMIOObjectPropertyListenerProc(uint32_t obj, uint32_t count, void *addresses, void *ctx)',
    ),
  )
  const has = lib.func(
    'uint8_t CMIOObjectHasProperty(uint32_t obj, const CMIOObjectPropertyAddress *address)',
  )
  const getSize = lib.func(
    'int32_t CMIOObjectGetPropertyDataSize(uint32_t obj, const CMIOObjectPropertyAddress *address, uint32_t qualifierSize, const void *qualifier, _Out_ uint32_t *size)',
  )
  const getData = lib.func(
    'int32_t CMIOObjectGetPropertyData(uint32_t obj, const CMIOObjectPropertyAddress *address, uint32_t qualifierSize, const void *qualifier, uint32_t dataSize, _Out_ uint32_t *used, void *data)',
  )
  const add = lib.func(
    'int32_t CMIOObjectAddPropertyListener(uint32_t obj, const CMIOObjectPropertyAddress *address, CMIOObjectPropertyListenerProc *proc, void *ctx)',
  )
  const remove = lib.func(
    'int32_t CMIOObjectRemovePropertyListener(uint32_t obj, const CMIOObjectPropertyAddress *address, CMIOObjectPropertyListenerProc *proc, void *ctx)',
  )
  const addr = (a: PropertyAddress) => ({ mSelector: a.selector, mScope: a.scope, mElement: a.element })
  const cmio = bindHalObjects(
    k,
    {
      prefix: 'CMIOObject',
      has: (obj, a) => Boolean(has(obj, addr(a))),
      getSize: (obj, a, size) => getSize(obj, addr(a), 0, null, size) as number,
      getData: (obj, a, buf, used) => getData(obj, addr(a), 0, null, buf.length, used, buf) as number,
      addListener: (obj, a, proc, ctx) => add(obj, addr(a), proc, ctx) as number,
      removeListener: (obj, a, proc, ctx) => remove(obj, addr(a), proc, ctx) as number,
      listenerType,
    },
    cf,
  )
  return { cmio, pumpRunLoop: cf.pump }
}

let mac: Loaded<MacNative> | null = null

/** CoreMediaIO and Core Foundation, bound once; a failure is kept as the reason. */
export function loadMacNative(): Loaded<MacNative> {
  mac ??=
    process.platform === 'darwin'
      ? bindNative('CoreMediaIO', bindCmio)
      : { ok: false, error: `CoreMediaIO exists only on macOS, not on ${process.platform}` }
  return mac
}
