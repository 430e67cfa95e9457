// Windows: the privacy settings' record of camera and microphone use (the ConsentStore), read with
// the registry's wide-character API in advapi32, woken by RegNotifyChangeKeyValue; and the running
// processes from a Toolhelp snapshot with their full image path and start time. All in-process
// through koffi: no reg.exe, no PowerShell.
import type { TypeObject } from 'koffi'
import { bindNative, CallbackTable, NativeCallError, namedType, type Koffi, type Loaded } from './koffi.js'

export type Hive = 'HKCU' | 'HKLM'
/** The ConsentStore key of a device kind: 'webcam' for cameras, 'microphone' for microphones. */
export type Capability = 'webcam' | 'microphone'

export const CONSENT_STORE =
  'Software\\Microsoft\\Windows\\CurrentVersion\\CapabilityAccessManager\\ConsentStore'

/** One app's key in the store, as the registry holds it. */
export interface ConsentKeyRecord {
  /** The key below ConsentStore\<capability>: a package family name, or 'NonPackaged\<path with # for \>'. */
  key: string
  /** FILETIMEs (100-ns ticks since 1601); null when the value is missing. */
  lastUsedTimeStart: bigint | null
  lastUsedTimeStop: bigint | null
}

export interface WinProcess {
  pid: number
  parentPid: number
  /** The image file name Toolhelp gives, e.g. Zoom.exe. */
  name: string
  /** The full Win32 path; null when the process cannot be opened (another user's, elevated). */
  path: string | null
  /** When the process started (Unix ms); null when unknown. */
  startMs: number | null
}

/** The calls the Windows detector needs; the real one is advapi32 and kernel32 through koffi. */
export interface WinNative {
  /** Every app key of ConsentStore\<capability> in the hive; null when that key does not exist. Throws NativeCallError. */
  readConsentStore(hive: Hive, capability: Capability): ConsentKeyRecord[] | null
  /** Calls onChange on the JS thread after any change below the key. Throws NativeCallError. */
  watchConsentStore(hive: Hive, capability: Capability, onChange: () => void): { close(): void }
  /** Every running process. Throws NativeCallError. */
  listProcesses(): WinProcess[]
}

const ERROR = {
  SUCCESS: 0,
  FILE_NOT_FOUND: 2,
  ACCESS_DENIED: 5,
  NO_MORE_FILES: 18,
  INVALID_PARAMETER: 87,
  INSUFFICIENT_BUFFER: 122,
  MORE_DATA: 234,
  NO_MORE_ITEMS: 259,
} as const

const WIN32_ERRORS: Record<number, string> = {
  [ERROR.FILE_NOT_FOUND]: 'not found',
  [ERROR.ACCESS_DENIED]: 'access denied',
  [ERROR.INVALID_PARAMETER]: 'invalid parameter',
  [ERROR.MORE_DATA]: 'more data than expected',
}

export function describeWin32Error(call: string, code: number): string {
  return `${call} failed: error ${code}${WIN32_ERRORS[code] ? ` (${WIN32_ERRORS[code]})` : ''}`
}

// (HKEY)(LONG)0x80000001 and 0x80000002, sign-extended to pointer width.
const HIVES: Record<Hive, number> = { HKCU: -2147483647, HKLM: -2147483646 }
const KEY_READ = 0x20019
const KEY_NOTIFY = 0x10
const KEY_WOW64_64KEY = 0x100
const REG_NOTIFY_CHANGE_NAME = 0x1
const REG_NOTIFY_CHANGE_LAST_SET = 0x4
const REG_NOTIFY_THREAD_AGNOSTIC = 0x10000000
const REG_BINARY = 3
const REG_QWORD = 11
const INFINITE = 0xffffffff
const TH32CS_SNAPPROCESS = 0x2
const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
const MAX_KEY_CHARS = 256
const PATH_CHARS = 1024
const LONG_PATH_CHARS = 32768

/** FILETIME (100-ns ticks since 1601) to Unix ms; null for 0 or out of range. */
export function filetimeToMs(ticks: bigint | null): number | null {
  if (ticks === null || ticks <= 0n) return null
  const ms = (ticks - 116444736000000000n) / 10000n
  if (ms < -8_640_000_000_000_000n || ms > 8_640_000_000_000_000n) return null
  return Number(ms)
}

function bind(k: Koffi): WinNative {
  const advapi = k.load('advapi32.dll')
  const kernel = k.load('kernel32.dll')
  const regOpen = advapi.func(
    'int32_t __stdcall RegOpenKeyExW(void *key, str16 subKey, uint32_t options, uint32_t sam, _Out_ void **result)',
  )
  const regEnum = advapi.func(
    'int32_t __stdcall RegEnumKeyExW(void *key, uint32_t index, void *name, _Inout_ uint32_t *nameChars, void *reserved, void *cls, void *clsChars, void *lastWrite)',
  )
  const regQuery = advapi.func(
    'int32_t __stdcall RegQueryValueExW(void *key, str16 name, void *reserved, _Out_ uint32_t *type, void *data, _Inout_ uint32_t *dataBytes)',
  )
  const regClose = advapi.func('int32_t __stdcall RegCloseKey(void *key)')
  const regNotify = advapi.func(
    'int32_t __stdcall RegNotifyChangeKeyValue(void *key, int watchSubtree, uint32_t filter, void *event, int asynchronous)',
  )
  const getLastError = kernel.func('uint32_t __stdcall GetLastError()')
  const createEvent = kernel.func(
    'void * __stdcall CreateEventW(void *attributes, int manualReset, int initialState, void *name)',
  )
  const closeHandle = kernel.func('int __stdcall CloseHandle(void *handle)')
  const waitCallback: TypeObject = namedType(k, 'WaitOrTimerCallback', () =>
    k.proto('void __stdcall WaitOrTimerCallback(void *ctx, uint8_t timedOut)'),
  )
  const registerWait = kernel.func(
    'int __stdcall RegisterWaitForSingleObject(_Out_ void **wait, void *object, WaitOrTimerCallback *callback, void *ctx, uint32_t ms, uint32_t flags)',
  )
  const unregisterWait = kernel.func('int __stdcall UnregisterWait(void *wait)')
  const snapshot = kernel.func('void * __stdcall CreateToolhelp32Snapshot(uint32_t flags, uint32_t pid)')
  namedType(k, 'PROCESSENTRY32W', () => k.struct('PROCESSENTRY32W', processEntryFields(k)))
  const entrySize = k.sizeof('PROCESSENTRY32W')
  const firstProcess = kernel.func(
    'int __stdcall Process32FirstW(void *snapshot, _Inout_ PROCESSENTRY32W *entry)',
  )
  const nextProcess = kernel.func(
    'int __stdcall Process32NextW(void *snapshot, _Inout_ PROCESSENTRY32W *entry)',
  )
  const openProcess = kernel.func('void * __stdcall OpenProcess(uint32_t access, int inherit, uint32_t pid)')
  const imageName = kernel.func(
    'int __stdcall QueryFullProcessImageNameW(void *process, uint32_t flags, void *name, _Inout_ uint32_t *chars)',
  )
  const processTimes = kernel.func(
    'int __stdcall GetProcessTimes(void *process, void *creation, void *exit, void *kernel, void *user)',
  )

  const invalidHandle = (h: unknown) =>
    h === null || (typeof h === 'bigint' && BigInt.asIntN(process.arch === 'ia32' ? 32 : 64, h) === -1n)
  const check = (call: string, code: number) => {
    if (code !== ERROR.SUCCESS) throw new NativeCallError(call, code, describeWin32Error(call, code))
  }

  /** Opens a key; null when it does not exist. */
  function open(parent: unknown, path: string, sam: number): unknown {
    const out: [unknown] = [null]
    const code = regOpen(parent, path, 0, sam | KEY_WOW64_64KEY, out) as number
    if (code === ERROR.FILE_NOT_FOUND) return null
    check(`RegOpenKeyExW ${path}`, code)
    return out[0]
  }

  function subkeys(key: unknown): string[] {
    const names: string[] = []
    const buf = Buffer.alloc(MAX_KEY_CHARS * 2)
    for (let i = 0; ; i++) {
      const chars: [number] = [MAX_KEY_CHARS]
      const code = regEnum(key, i, buf, chars, null, null, null, null) as number
      if (code === ERROR.NO_MORE_ITEMS) return names
      check('RegEnumKeyExW', code)
      names.push(buf.toString('utf16le', 0, chars[0] * 2))
    }
  }

  function qword(key: unknown, name: string): bigint | null {
    const type: [number] = [0]
    const size: [number] = [8]
    const data = Buffer.alloc(8)
    const code = regQuery(key, name, null, type, data, size) as number
    // Missing, or larger than a QWORD: not a time CamGuard can read.
    if (code === ERROR.FILE_NOT_FOUND || code === ERROR.MORE_DATA) return null
    check(`RegQueryValueExW ${name}`, code)
    if ((type[0] !== REG_QWORD && type[0] !== REG_BINARY) || size[0] !== 8) return null
    return data.readBigUInt64LE(0)
  }

  function record(parent: unknown, sub: string, key: string): ConsentKeyRecord | null {
    const h = open(parent, sub, KEY_READ)
    if (h === null) return null // deleted while we looked
    try {
      return {
        key,
        lastUsedTimeStart: qword(h, 'LastUsedTimeStart'),
        lastUsedTimeStop: qword(h, 'LastUsedTimeStop'),
      }
    } finally {
      regClose(h)
    }
  }

  // RegisterWaitForSingleObject calls back on a thread-pool thread; koffi queues it to the JS thread.
  const waits = new CallbackTable()
  const waitTrampoline = k.register((ctx: unknown) => waits.call(ctx), k.pointer(waitCallback))
  let agnostic = true

  return {
    readConsentStore(hive, capability) {
      const store = open(HIVES[hive], `${CONSENT_STORE}\\${capability}`, KEY_READ)
      if (store === null) return null
      try {
        const out: ConsentKeyRecord[] = []
        for (const name of subkeys(store)) {
          if (name.toLowerCase() !== 'nonpackaged') {
            const r = record(store, name, name)
            if (r) out.push(r)
            continue
          }
          const nonPackaged = open(store, name, KEY_READ)
          if (nonPackaged === null) continue
          try {
            for (const app of subkeys(nonPackaged)) {
              const r = record(nonPackaged, app, `${name}\\${app}`)
              if (r) out.push(r)
            }
          } finally {
            regClose(nonPackaged)
          }
        }
        return out
      } finally {
        regClose(store)
      }
    },

    watchConsentStore(hive, capability, onChange) {
      const path = `${CONSENT_STORE}\\${capability}`
      const key = open(HIVES[hive], path, KEY_NOTIFY)
      if (key === null)
        throw new NativeCallError('RegOpenKeyExW', ERROR.FILE_NOT_FOUND, `${hive}\\${path} does not exist`)
      const event = createEvent(null, 0, 0, null) // auto-reset: one wake per signal
      if (event === null) {
        regClose(key)
        const code = getLastError() as number
        throw new NativeCallError('CreateEventW', code, describeWin32Error('CreateEventW', code))
      }
      // One notification per call: armed again after each. Thread-agnostic (Windows 8+), so the
      // registration does not depend on which thread made it.
      const arm = () => {
        const filter = REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET
        let code = regNotify(key, 1, filter | (agnostic ? REG_NOTIFY_THREAD_AGNOSTIC : 0), event, 1) as number
        if (code === ERROR.INVALID_PARAMETER && agnostic) {
          agnostic = false // older Windows: the JS thread lives as long as the process anyway
          code = regNotify(key, 1, filter, event, 1) as number
        }
        check('RegNotifyChangeKeyValue', code)
      }
      let closed = false
      const id = waits.add(() => {
        if (closed) return
        try {
          arm()
        } catch {
          // the key went away: the reconciliation read still runs
        }
        onChange()
      })
      const wait: [unknown] = [null]
      try {
        arm()
        // Wait in the OS thread pool, never in a libuv worker: a blocked worker starves file I/O.
        if (!registerWait(wait, event, waitTrampoline, id, INFINITE, 0)) {
          const code = getLastError() as number
          throw new NativeCallError(
            'RegisterWaitForSingleObject',
            code,
            describeWin32Error('RegisterWaitForSingleObject', code),
          )
        }
      } catch (err) {
        waits.remove(id)
        regClose(key)
        closeHandle(event)
        throw err
      }
      return {
        close() {
          if (closed) return
          closed = true
          waits.remove(id)
          unregisterWait(wait[0]) // does not block: a callback on its way finds its id gone
          regClose(key)
          closeHandle(event)
        },
      }
    },

    listProcesses() {
      const snap = snapshot(TH32CS_SNAPPROCESS, 0)
      if (invalidHandle(snap)) {
        const code = getLastError() as number
        throw new NativeCallError(
          'CreateToolhelp32Snapshot',
          code,
          describeWin32Error('CreateToolhelp32Snapshot', code),
        )
      }
      const listed: { pid: number; parentPid: number; name: string }[] = []
      try {
        const entry: Record<string, unknown> = { dwSize: entrySize, szExeFile: '' }
        let ok = firstProcess(snap, entry) as number
        if (!ok) {
          const code = getLastError() as number
          if (code !== ERROR.NO_MORE_FILES)
            throw new NativeCallError('Process32FirstW', code, describeWin32Error('Process32FirstW', code))
        }
        while (ok) {
          listed.push({
            pid: entry.th32ProcessID as number,
            parentPid: entry.th32ParentProcessID as number,
            name: String(entry.szExeFile ?? ''),
          })
          entry.dwSize = entrySize
          ok = nextProcess(snap, entry) as number
        }
      } finally {
        closeHandle(snap)
      }
      const buf = Buffer.alloc(LONG_PATH_CHARS * 2)
      const created = Buffer.alloc(8)
      const scratch = [Buffer.alloc(8), Buffer.alloc(8), Buffer.alloc(8)] as const
      return listed.map((p) => {
        const info: WinProcess = { ...p, path: null, startMs: null }
        if (p.pid === 0) return info
        const h = openProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, p.pid)
        if (h === null) return info // another user's or a protected process
        try {
          for (const limit of [PATH_CHARS, LONG_PATH_CHARS]) {
            const chars: [number] = [limit]
            if (imageName(h, 0, buf, chars)) {
              info.path = buf.toString('utf16le', 0, chars[0] * 2)
              break
            }
            if ((getLastError() as number) !== ERROR.INSUFFICIENT_BUFFER) break
          }
          if (processTimes(h, created, ...scratch)) info.startMs = filetimeToMs(created.readBigUInt64LE(0))
        } finally {
          closeHandle(h)
        }
        return info
      })
    },
  }
}

let win: Loaded<WinNative> | null = null

/** The registry and process calls, bound once; a failure is kept as the reason. */
export function loadWinNative(): Loaded<WinNative> {
  win ??=
    process.platform === 'win32'
      ? bindNative('the Windows registry and process calls', bind)
      : { ok: false, error: `the Windows registry exists only on Windows, not on ${process.platform}` }
  return win
}

// tlhelp32.h, no pack pragma: 568 bytes on x64, 556 on x86.
function processEntryFields(k: Koffi) {
  return {
    dwSize: 'uint32_t',
    cntUsage: 'uint32_t',
    th32ProcessID: 'uint32_t',
    th32DefaultHeapID: 'uintptr_t',
    th32ModuleID: 'uint32_t',
    cntThreads: 'uint32_t',
    th32ParentProcessID: 'uint32_t',
    pcPriClassBase: 'int32_t',
    dwFlags: 'uint32_t',
    szExeFile: k.array('char16_t', 260),
  }
}

/** The layout of PROCESSENTRY32W as koffi builds it here (for a test that checks it). */
export function processEntryLayout(k: Koffi): { size: number; exeOffset: number } {
  const type = k.struct(processEntryFields(k))
  return { size: k.sizeof(type), exeOffset: k.offsetof(type, 'szExeFile') }
}
