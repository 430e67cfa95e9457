// inotify through libc, in-process: no inotify-tools, no child process, nothing left behind when
// CamGuard is killed (the kernel drops the instance with the process). The fd is non-blocking and
// read when the event loop says it is readable (koffi.node.poll = a libuv poll handle), so no thread
// of Node's worker pool is ever held by a waiting read.
import { readFileSync } from 'node:fs'
import { bindNative, NativeCallError, type Koffi, type Loaded } from './koffi.js'

/** inotify event bits (<sys/inotify.h>). */
export const IN = {
  ACCESS: 0x1,
  MODIFY: 0x2,
  ATTRIB: 0x4,
  CLOSE_WRITE: 0x8,
  CLOSE_NOWRITE: 0x10,
  OPEN: 0x20,
  MOVED_FROM: 0x40,
  MOVED_TO: 0x80,
  CREATE: 0x100,
  DELETE: 0x200,
  DELETE_SELF: 0x400,
  MOVE_SELF: 0x800,
  UNMOUNT: 0x2000,
  Q_OVERFLOW: 0x4000,
  IGNORED: 0x8000,
  ONLYDIR: 0x01000000,
  ISDIR: 0x40000000,
} as const

export type InotifyEventName = keyof typeof IN

const IN_NONBLOCK = 0x800
const IN_CLOEXEC = 0x80000
const EAGAIN = 11
const EINTR = 4

/** The calls the Linux watcher needs; the real one is libc through koffi. */
export interface InotifyApi {
  /** inotify_init1(IN_NONBLOCK | IN_CLOEXEC). Throws NativeCallError (errno) on failure. */
  init(): number
  /** inotify_add_watch: the watch descriptor. Throws NativeCallError (errno) on failure. */
  addWatch(fd: number, path: string, mask: number): number
  removeWatch(fd: number, wd: number): void
  /** Reads queued events into buf: the byte count, or 0 when nothing is queued. Throws on errors. */
  read(fd: number, buf: Buffer): number
  close(fd: number): void
  /** Calls onReadable on the JS thread whenever fd has data; no worker thread waits. */
  whenReadable(fd: number, onReadable: () => void): { close(): void }
}

export interface InotifyEvent {
  wd: number
  mask: number
  /** The name of a file inside a watched folder; '' for events on the watched file itself. */
  name: string
}

/** Splits what read() returned into events (16-byte header, then a NUL-padded name). */
export function parseInotifyEvents(buf: Buffer, length: number): InotifyEvent[] {
  const events: InotifyEvent[] = []
  let at = 0
  while (at + 16 <= length) {
    const wd = buf.readInt32LE(at)
    const mask = buf.readUInt32LE(at + 4)
    const len = buf.readUInt32LE(at + 12)
    const end = Math.min(at + 16 + len, length)
    let name = ''
    if (len > 0) {
      const raw = buf.subarray(at + 16, end)
      const nul = raw.indexOf(0)
      name = raw.subarray(0, nul < 0 ? raw.length : nul).toString('utf8')
    }
    events.push({ wd, mask, name })
    at = end
  }
  return events
}

/** The names of the bits set in mask, e.g. ['OPEN'] or ['CLOSE_NOWRITE']. */
export function inotifyEventNames(mask: number): InotifyEventName[] {
  const names: InotifyEventName[] = []
  for (const [name, bit] of Object.entries(IN) as [InotifyEventName, number][]) {
    if (name !== 'ONLYDIR' && (mask & bit) !== 0) names.push(name)
  }
  return names
}

/** What an errno from inotify means for a user, e.g. ENOSPC is the watch limit, not a full disk. */
export function describeInotifyErrno(call: string, errno: number): string {
  switch (errno) {
    case 28:
      return `${call}: the limit of inotify watches is reached (fs.inotify.max_user_watches${sysctl('max_user_watches')}); raise it with sysctl`
    case 24:
      return `${call}: the limit of inotify instances or open files is reached (fs.inotify.max_user_instances${sysctl('max_user_instances')})`
    case 23:
      return `${call}: the system's open-file limit is reached`
    case 2:
      return `${call}: no such file`
    case 13:
      return `${call}: permission denied`
    default:
      return `${call}: error ${errno}`
  }
}

function sysctl(name: string): string {
  try {
    return ` = ${readFileSync(`/proc/sys/fs/inotify/${name}`, 'utf8').trim()}`
  } catch {
    return ''
  }
}

// glibc's soname first; musl (Alpine) names its libc differently.
const LIBC_NAMES = ['libc.so.6', 'libc.musl-x86_64.so.1', 'libc.musl-aarch64.so.1', 'libc.so']

function loadLibc(k: Koffi): ReturnType<Koffi['load']> {
  let last: unknown
  for (const name of LIBC_NAMES) {
    try {
      return k.load(name)
    } catch (err) {
      last = err
    }
  }
  throw last
}

function bind(k: Koffi): InotifyApi {
  const libc = loadLibc(k)
  const init1 = libc.func('int inotify_init1(int flags)')
  const addWatch = libc.func('int inotify_add_watch(int fd, const char *path, uint32_t mask)')
  const rmWatch = libc.func('int inotify_rm_watch(int fd, int wd)')
  const read = libc.func('intptr_t read(int fd, void *buf, size_t count)')
  const close = libc.func('int close(int fd)')
  const fail = (call: string): never => {
    const errno = k.errno()
    throw new NativeCallError(call, errno, describeInotifyErrno(call, errno))
  }
  return {
    init() {
      const fd = init1(IN_NONBLOCK | IN_CLOEXEC) as number
      return fd >= 0 ? fd : fail('inotify_init1')
    },
    addWatch(fd, path, mask) {
      const wd = addWatch(fd, path, mask) as number
      return wd >= 0 ? wd : fail(`inotify_add_watch ${path}`)
    },
    removeWatch(fd, wd) {
      rmWatch(fd, wd)
    },
    read(fd, buf) {
      for (;;) {
        const n = Number(read(fd, buf, buf.length))
        if (n >= 0) return n
        const errno = k.errno()
        if (errno === EAGAIN) return 0
        if (errno !== EINTR) throw new NativeCallError('read', errno, describeInotifyErrno('read', errno))
      }
    },
    close(fd) {
      close(fd)
    },
    whenReadable(fd, onReadable) {
      const handle = k.node.poll(fd, { readable: true }, () => onReadable())
      return { close: () => handle.close() }
    },
  }
}

let inotify: Loaded<InotifyApi> | null = null

/** The real inotify calls, bound once; a failure (no koffi, no libc.so.6) is kept as the reason. */
export function loadInotify(): Loaded<InotifyApi> {
  inotify ??=
    process.platform === 'linux'
      ? bindNative('inotify (libc)', bind)
      : { ok: false, error: `inotify exists only on Linux, not on ${process.platform}` }
  return inotify
}
