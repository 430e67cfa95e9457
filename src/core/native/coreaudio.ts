// macOS: CoreAudio (microphones) through koffi, on the same property-address API as CoreMediaIO
// (bindHalObjects in darwin.ts): AudioObjectGetPropertyData takes one in/out size where CMIO's
// getter takes the size by value. Plus libproc's proc_pidpath, for the program behind a pid.
import {
  bindCoreFoundation,
  bindHalObjects,
  fourCC,
  type HalObjects,
  type PropertyAddress,
} from './darwin.js'
import { bindNative, namedType, type Koffi, type Loaded } from './koffi.js'

/** CoreAudio's process objects (macOS 14.2 and later): who does audio input, by pid. */
export const AUDIO = {
  PROCESS_OBJECTS: fourCC('prs#'),
  PROCESS_PID: fourCC('ppid'),
  PROCESS_BUNDLE_ID: fourCC('pbid'),
  PROCESS_RUNNING_INPUT: fourCC('piri'),
} as const

export interface MacAudioNative {
  audio: HalObjects
  /** As MacNative.pumpRunLoop: lets Core Foundation deliver listener calls in plain Node. */
  pumpRunLoop(): void
  /** The executable of a process, as the kernel reports it; null when it cannot be read. */
  processPath(pid: number): string | null
}

const FRAMEWORKS = '/System/Library/Frameworks'
// PROC_PIDPATHINFO_MAXSIZE: 4 * MAXPATHLEN.
const PATH_MAX_BYTES = 4096

function bindCoreAudio(k: Koffi): MacAudioNative {
  const cf = bindCoreFoundation(k)
  const lib = k.load(`${FRAMEWORKS}/CoreAudio.framework/CoreAudio`)
  namedType(k, 'AudioObjectPropertyAddress', () =>
    k.struct('AudioObjectPropertyAddress', {
      mSelector: 'uint32_t',
      mScope: 'uint32_t',
      mElement: 'uint32_t',
    }),
  )
  const listenerType = namedType(k, 'AudioObjectPropertyListenerProc', () =>
    k.proto(
      'int32_t AudioObjectPropertyListenerProc(uint32_t obj, uint32_t count, void *addresses, void *ctx)',
    ),
  )
  const has = lib.func(
    'uint8_t AudioObjectHasProperty(uint32_t obj, const AudioObjectPropertyAddress *address)',
  )
  const getSize = lib.func(
    'int32_t AudioObjectGetPropertyDataSize(uint32_t obj, const AudioObjectPropertyAddress *address, uint32_t qualifierSize, const void *qualifier, _Out_ uint32_t *size)',
  )
  const getData = lib.func(
    'int32_t AudioObjectGetPropertyData(uint32_t obj, const AudioObjectPropertyAddress *address, uint32_t qualifierSize, const void *qualifier, _Inout_ uint32_t *ioSize, void *data)',
  )
  const add = lib.func(
    'int32_t AudioObjectAddPropertyListener(uint32_t obj, const AudioObjectPropertyAddress *address, AudioObjectPropertyListenerProc *proc, void *ctx)',
  )
  const remove = lib.func(
    'int32_t AudioObjectRemovePropertyListener(uint32_t obj, const AudioObjectPropertyAddress *address, AudioObjectPropertyListenerProc *proc, void *ctx)',
  )
  const libproc = k.load('/usr/lib/libSystem.B.dylib')
  const pidPath = libproc.func('int proc_pidpath(int pid, void *buffer, uint32_t size)')
  const addr = (a: PropertyAddress) => ({ mSelector: a.selector, mScope: a.scope, mElement: a.element })
  const audio = bindHalObjects(
    k,
    {
      prefix: 'AudioObject',
      has: (obj, a) => Boolean(has(obj, addr(a))),
      getSize: (obj, a, size) => getSize(obj, addr(a), 0, null, size) as number,
      getData: (obj, a, buf, used) => {
        // One in/out size: in, the buffer's; out, the bytes written.
        used[0] = buf.length
        return getData(obj, addr(a), 0, null, used, buf) as number
      },
      addListener: (obj, a, proc, ctx) => add(obj, addr(a), proc, ctx) as number,
      removeListener: (obj, a, proc, ctx) => remove(obj, addr(a), proc, ctx) as number,
      listenerType,
    },
    cf,
  )
  return {
    audio,
    pumpRunLoop: cf.pump,
    processPath(pid) {
      const buf = Buffer.alloc(PATH_MAX_BYTES)
      const n = pidPath(pid, buf, PATH_MAX_BYTES) as number
      return n > 0 ? buf.toString('utf8', 0, n) : null
    },
  }
}

let loaded: Loaded<MacAudioNative> | null = null

/** CoreAudio, Core Foundation and libproc, bound once; a failure is kept as the reason. */
export function loadMacAudioNative(): Loaded<MacAudioNative> {
  loaded ??=
    process.platform === 'darwin'
      ? bindNative('CoreAudio', bindCoreAudio)
      : { ok: false, error: `CoreAudio exists only on macOS, not on ${process.platform}` }
  return loaded
}
