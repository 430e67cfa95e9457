import { closeSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, statSync } from 'node:fs'
import { errorCode } from '../files.js'

/** The file an fd link points to, or null for sockets, pipes, anon inodes and the like. */
export function parseFdTarget(link: string): string | null {
  if (!link.startsWith('/')) return null
  return link.endsWith(' (deleted)') ? link.slice(0, -' (deleted)'.length) : link
}

export interface ProcessDetails {
  name: string
  exe: string | null
  /** Owner uid, from /proc/<pid>/status; null when unknown. */
  uid: number | null
}

export function processDetails(pid: number, procRoot = '/proc'): ProcessDetails | null {
  let name: string
  try {
    name = readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim()
  } catch {
    return null
  }
  let exe: string | null = null
  try {
    exe = parseFdTarget(readlinkSync(`${procRoot}/${pid}/exe`))
  } catch {
    exe = null
  }
  let uid: number | null = null
  try {
    const status = readFileSync(`${procRoot}/${pid}/status`, 'utf8')
    const m = /^Uid:\s+(\d+)/m.exec(status)
    uid = m ? Number(m[1]) : null
  } catch {
    uid = null
  }
  return { name, exe, uid }
}

export function readMaps(pid: number, procRoot = '/proc'): string | null {
  try {
    return readFileSync(`${procRoot}/${pid}/maps`, 'utf8')
  } catch {
    return null
  }
}

/** A process holding devices, as the scanner reports it: which fds point at which device. */
export interface FdHolder {
  pid: number
  /** Device real paths this process has open. */
  devices: Set<string>
  /** fd number -> device real path, for the cheap holder re-check. */
  fds: Map<string, string>
}

export interface CachedScan {
  holders: FdHolder[]
  unreadable: number
  scanned: number
  /** Processes whose open files were taken from the cache because they had not run since. */
  reused: number
}

interface ProcEntry {
  /** Run-time fingerprint: sums of sum_exec_runtime and run counts over the known threads. */
  runtime: number
  runs: number
  /** Known thread ids when the process has more than one (null: single-threaded, use the pid). */
  tids: string[] | null
  devices: Map<string, string> | null
  unreadable: boolean
  seen: number
  /** /proc/<pid>/schedstat kept open (eager scanners, single-threaded processes); -1 for none. */
  schedFd: number
  /** How many files it had open at the last full read; -1 when unknown. */
  fdCount: number
}

interface DetailsEntry {
  start: string
  details: ProcessDetails
}

const SCHEDSTAT_BYTES = 128
// At most this many /proc/<pid>/schedstat files are kept open (and never more than a quarter of the
// process's fd limit); beyond it they are opened per look.
const MAX_KEPT_FDS = 4096

function keptFdLimit(procRoot: string): number {
  try {
    const limits = readFileSync(`${procRoot}/self/limits`, 'utf8')
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1]
    if (soft) return Math.min(MAX_KEPT_FDS, Math.floor(Number(soft) / 4))
  } catch {
    // unknown: stay modest
  }
  return 256
}

/**
 * Finds the holders of devices the way fuser does (readlink every fd), but remembers what each process had open
 * together with how long it has run (/proc/<pid>/schedstat: run time in ns and run count, both
 * only ever growing). A process that has not run since the last look cannot have opened or closed
 * a file, so its fd links are not read again: one small read replaces ~50 readlinks per process.
 * Entries of ended processes are dropped on every scan, so the cache never outgrows /proc.
 */
export class ProcScanner {
  private readonly entries = new Map<number, ProcEntry>()
  private readonly detailCache = new Map<number, DetailsEntry>()
  private readonly buf = Buffer.allocUnsafe(SCHEDSTAT_BYTES)
  private generation = 0
  private kept = 0
  private readonly self: number
  private readonly keptLimit: number
  private runtime = 0
  private runs = 0
  private devicesKey = ''
  private readonly fingerprints: boolean
  /** Whether stat() of /proc/<pid>/fd gives the number of open files (Linux 6.2 and later). */
  private readonly countsFds: boolean
  /**
   * Fingerprint processes on first sight too (a monitor that scans again soon); otherwise only from
   * the second sight on, so a single snapshot costs no more than the plain scan.
   */
  eager = false

  constructor(
    private readonly procRoot = '/proc',
    options: { cache?: boolean } = {},
  ) {
    this.fingerprints = options.cache !== false && this.readSched(`${procRoot}/self/schedstat`)
    this.self = procRoot === '/proc' ? process.pid : -1
    this.keptLimit = keptFdLimit(procRoot)
    this.countsFds = this.fdCount('self') > 0
  }

  /** The number of files a process has open, from one stat(); -1 when it cannot be had. */
  private fdCount(entry: string): number {
    try {
      return statSync(`${this.procRoot}/${entry}/fd`).size
    } catch {
      return -1
    }
  }

  /** Drops what is remembered (e.g. when the device set changed) and closes the files kept open. */
  reset(): void {
    for (const e of this.entries.values()) this.closeFd(e)
    this.entries.clear()
  }

  /** Closes the files kept open; the scanner still works afterwards, starting afresh. */
  close(): void {
    this.reset()
  }

  private forget(pid: number, e: ProcEntry): void {
    this.closeFd(e)
    this.entries.delete(pid)
  }

  private closeFd(e: ProcEntry): void {
    if (e.schedFd < 0) return
    try {
      closeSync(e.schedFd)
    } catch {
      // already gone
    }
    e.schedFd = -1
    this.kept--
  }

  /**
   * `quiet`: a reconciliation, asked for while nothing was reported since the last look (an
   * event-driven monitor's safety net). A known process that held no device then keeps its answer
   * while its number of open files is unchanged: one stat() instead of a fingerprint over every
   * thread and, for a process that ran, a readlink per open file. Opening a device is reported by
   * inotify, which makes the next scan a full one.
   */
  scan(devices: ReadonlySet<string>, options: { quiet?: boolean } = {}): CachedScan {
    const quiet = options.quiet === true && this.countsFds
    const holders: FdHolder[] = []
    let unreadable = 0
    let scanned = 0
    let reused = 0
    if (devices.size === 0) return { holders, unreadable, scanned, reused }
    // What is remembered is relative to the device set: a new set starts afresh, and so does a node
    // replaced in place (a new file at the same path), which a process may have held before it
    // became the node without running since.
    const key = [...devices].sort().map(nodeKey).join('\n')
    if (key !== this.devicesKey) {
      this.reset()
      this.devicesKey = key
    }
    const gen = ++this.generation
    for (const entry of readdirSync(this.procRoot)) {
      const code = entry.charCodeAt(0)
      if (code < 48 || code > 57) continue
      const pid = Number(entry)
      // CamGuard itself never uses the camera, and its fd table holds the kept schedstat files.
      if (pid === this.self) continue
      let known = this.entries.get(pid)
      const sameFiles = (e: ProcEntry) =>
        quiet && e.devices === null && !e.unreadable && e.fdCount >= 0 && this.fdCount(entry) === e.fdCount
      if (known && known.schedFd < 0 && sameFiles(known)) {
        // Its fingerprint stays as it was: the next full scan still looks if it ran meanwhile.
        known.seen = gen
        reused++
        scanned++
        continue
      }
      // Fingerprints land in this.runtime / this.runs: no object per process per scan.
      let fingerprinted = false
      let tids: string[] | null = null
      if (this.fingerprints && known && known.schedFd >= 0 && !this.preadSched(known.schedFd)) {
        // The process behind the kept fd has ended; this pid may already be a new one.
        this.forget(pid, known)
        known = undefined
      } else if (this.fingerprints && known && known.schedFd < 0 && !this.fingerprint(entry, known.tids)) {
        this.forget(pid, known)
        continue // ended while we looked
      }
      if (this.fingerprints && known) {
        fingerprinted = true
        if (known.runtime === this.runtime && known.runs === this.runs) {
          known.seen = gen
          reused++
          if (known.unreadable) unreadable++
          else scanned++
          if (known.devices) holders.push(holderOf(pid, known.devices))
          continue
        }
        if (known.schedFd >= 0 && sameFiles(known)) {
          known.seen = gen
          reused++
          scanned++
          continue
        }
        // Take the fingerprint again over the current threads, before reading the fds: whatever
        // the process does after this shows up as a changed fingerprint next time.
        tids = this.threads(entry, known.tids)
        if ((tids !== null || known.tids !== null) && !this.fingerprint(entry, tids)) {
          this.forget(pid, known)
          continue
        }
      } else if (this.fingerprints && this.eager) {
        tids = this.threads(entry, null)
        if (!this.fingerprint(entry, tids)) continue // ended while we looked
        fingerprinted = true
      }
      // Unless eager, a process seen for the first time is only remembered (fingerprint -1 never
      // matches): a one-off snapshot such as `camguard status` costs no more than the plain scan.
      const found = readDeviceFds(`${this.procRoot}/${entry}/fd`, devices)
      if (found === 'gone') {
        if (known) this.forget(pid, known)
        continue
      }
      const fully = found === 'unreadable'
      const devs = fully ? null : found.devices
      if (fully || found.denied) unreadable++
      if (!fully) scanned++
      if (devs) holders.push(holderOf(pid, devs))
      if (!this.fingerprints) continue
      if (!fully && found.denied) {
        if (known) this.forget(pid, known) // partly readable: look again next time
        continue
      }
      const e: ProcEntry = known ?? {
        runtime: 0,
        runs: 0,
        tids: null,
        devices: null,
        unreadable: false,
        seen: 0,
        schedFd: -1,
        fdCount: -1,
      }
      e.runtime = fingerprinted ? this.runtime : -1
      e.runs = fingerprinted ? this.runs : -1
      e.tids = tids
      e.devices = devs
      e.unreadable = fully
      e.fdCount = fully ? -1 : found.count
      e.seen = gen
      if (!known) this.entries.set(pid, e)
      // Keep the schedstat file open: next time one pread replaces open, read and close.
      if (tids !== null && e.schedFd >= 0) this.closeFd(e)
      else if (tids === null && fingerprinted && this.eager && e.schedFd < 0 && this.kept < this.keptLimit) {
        try {
          e.schedFd = openSync(`${this.procRoot}/${entry}/schedstat`, 'r')
          this.kept++
        } catch {
          // ended: found out next time
        }
      }
    }
    for (const [pid, e] of this.entries) if (e.seen !== gen) this.forget(pid, e)
    if (this.fingerprints) {
      for (const pid of this.detailCache.keys()) if (!this.entries.has(pid)) this.detailCache.delete(pid)
    } else if (this.detailCache.size > 4096) this.detailCache.clear()
    return { holders, unreadable, scanned, reused }
  }

  /** processDetails, remembered per pid and start time (a reused pid is a new process). */
  details(pid: number): ProcessDetails | null {
    const start = this.startTime(pid)
    if (start === null) {
      this.detailCache.delete(pid)
      return null
    }
    const cached = this.detailCache.get(pid)
    if (cached && cached.start === start) return cached.details
    const details = processDetails(pid, this.procRoot)
    if (details) this.detailCache.set(pid, { start, details })
    return details
  }

  private startTime(pid: number): string | null {
    let stat: string
    try {
      stat = readFileSync(`${this.procRoot}/${pid}/stat`, 'latin1')
    } catch {
      return null
    }
    // Fields after the command name (which may hold spaces and parentheses); starttime is field 22.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return rest[19] ?? null
  }

  /** The thread ids of a multi-threaded process (the previous array when unchanged); null for one. */
  private threads(entry: string, previous: string[] | null): string[] | null {
    let tids: string[]
    try {
      tids = readdirSync(`${this.procRoot}/${entry}/task`)
    } catch {
      return null
    }
    if (tids.length <= 1) return null
    // Keep the remembered array when nothing changed, so a busy process does not churn memory.
    if (previous && previous.length === tids.length && previous.every((t, i) => t === tids[i]))
      return previous
    return tids
  }

  /**
   * Sums run time and run count over the process's threads into this.runtime / this.runs; false
   * when the process is gone.
   */
  private fingerprint(entry: string, tids: string[] | null): boolean {
    if (tids === null) return this.readSched(`${this.procRoot}/${entry}/schedstat`)
    let runtime = 0
    let runs = 0
    for (const tid of tids) {
      if (!this.readSched(`${this.procRoot}/${entry}/task/${tid}/schedstat`)) {
        // A thread that ended changes the picture: a value that never matches.
        this.runtime = this.runs = -1
        return true
      }
      runtime += this.runtime
      runs += this.runs
    }
    this.runtime = runtime
    this.runs = runs
    return true
  }

  /**
   * Reads "<run ns> <wait ns> <run count>" into the shared buffer and parses it in place, into
   * this.runtime / this.runs. The wait time is skipped: it grows while the process does not run.
   */
  private readSched(path: string): boolean {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      return false
    }
    try {
      return this.preadSched(fd)
    } finally {
      closeSync(fd)
    }
  }

  /** Reads a schedstat file from its start (a kept fd sees fresh values); false once the task ended. */
  private preadSched(fd: number): boolean {
    let n = 0
    try {
      n = readSync(fd, this.buf, 0, SCHEDSTAT_BYTES, 0)
    } catch {
      return false
    }
    if (n === 0) return false
    const b = this.buf
    let i = 0
    let field = 0
    let runtime = 0
    let runs = 0
    while (i < n && field < 3) {
      while (i < n && (b[i]! < 48 || b[i]! > 57)) i++
      let v = 0
      while (i < n && b[i]! >= 48 && b[i]! <= 57) v = v * 10 + (b[i++]! - 48)
      if (field === 0) runtime = v
      else if (field === 2) runs = v
      field++
    }
    this.runtime = runtime
    this.runs = runs
    return true
  }
}

/** The device fds of one process: a map fd -> device, or why it could not be read. */
export function readDeviceFds(
  fdDir: string,
  devices: ReadonlySet<string>,
): { devices: Map<string, string> | null; denied: boolean; count: number } | 'gone' | 'unreadable' {
  let fds: string[]
  try {
    fds = readdirSync(fdDir)
  } catch (err) {
    const c = errorCode(err)
    return c === 'EACCES' || c === 'EPERM' ? 'unreadable' : 'gone'
  }
  let found: Map<string, string> | null = null
  let denied = false
  for (const fd of fds) {
    let link: string
    try {
      link = readlinkSync(`${fdDir}/${fd}`)
    } catch (err) {
      // The directory may list while the links stay closed (a process with more privileges).
      if (!denied && errorCode(err) === 'EACCES') denied = true
      continue
    }
    // Sockets, pipes and anon inodes do not start with '/': skip them before any more work.
    if (link.charCodeAt(0) !== 47) continue
    if (devices.has(link)) (found ??= new Map()).set(fd, link)
    else if (link.endsWith(' (deleted)')) {
      const target = link.slice(0, -' (deleted)'.length)
      if (devices.has(target)) (found ??= new Map()).set(fd, target)
    }
  }
  return { devices: found, denied, count: fds.length }
}

function holderOf(pid: number, fds: Map<string, string>): FdHolder {
  return { pid, devices: new Set(fds.values()), fds }
}

/**
 * Which of `paths` a /proc/<pid>/maps text maps, by searching for each path instead of splitting
 * every line (a browser's maps runs to thousands of lines).
 */
export function mappedDevices(maps: string, paths: Iterable<string>): Set<string> {
  const found = new Set<string>()
  for (const path of paths) {
    let from = 0
    for (;;) {
      const at = maps.indexOf(path, from)
      if (at < 0) break
      from = at + path.length
      const lineStart = maps.lastIndexOf('\n', at) + 1
      // The pathname column starts at the line's first '/', and the path must be all of it.
      if (maps.indexOf('/', lineStart) !== at) continue
      let end = maps.indexOf('\n', at)
      if (end < 0) end = maps.length
      let tail = maps.slice(from, end).trimEnd()
      if (tail === ' (deleted)') tail = ''
      if (tail === '') {
        found.add(path)
        break
      }
    }
  }
  return found
}

/** Whether each of `fds` (fd number -> device) of `pid` still points at its device. */
export function fdsStillOpen(pid: number, fds: ReadonlyMap<string, string>, procRoot = '/proc'): boolean {
  for (const [fd, device] of fds) {
    let link: string
    try {
      link = readlinkSync(`${procRoot}/${pid}/fd/${fd}`)
    } catch {
      return false
    }
    if (parseFdTarget(link) !== device) return false
  }
  return true
}

/** A device path with the file it names now (device and inode numbers). */
function nodeKey(path: string): string {
  const st = statSync(path, { throwIfNoEntry: false })
  return st ? `${path}\0${st.dev}:${st.ino}` : path
}

/** A process holding devices: who it is, and which of them it maps (streams from). */
export interface DeviceHolder {
  pid: number
  details: ProcessDetails
  fds: ReadonlyMap<string, string>
  devices: ReadonlySet<string>
  mapped: ReadonlySet<string>
}

/** The processes holding `devices` (camera or microphone nodes), each with its details and mappings. */
export function deviceHolders(
  scanner: ProcScanner,
  devices: ReadonlySet<string>,
  procRoot = '/proc',
  options: { quiet?: boolean } = {},
): { holders: DeviceHolder[]; unreadable: number } {
  const scan = scanner.scan(devices, options)
  const holders: DeviceHolder[] = []
  for (const h of scan.holders) {
    const details = scanner.details(h.pid)
    if (!details) continue // ended while we looked
    const maps = readMaps(h.pid, procRoot)
    const mapped = maps ? mappedDevices(maps, h.devices) : new Set<string>()
    holders.push({ pid: h.pid, details, fds: h.fds, devices: h.devices, mapped })
  }
  return { holders, unreadable: scan.unreadable }
}
