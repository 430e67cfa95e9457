import { readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { errorCode } from '../files.js'

/** The file an fd link points to, or null for sockets, pipes, anon inodes and the like. */
export function parseFdTarget(link: string): string | null {
  if (!link.startsWith('/')) return null
  return link.endsWith(' (deleted)') ? link.slice(0, -' (deleted)'.length) : link
}

/** Which of `paths` a /proc/<pid>/maps text maps (the pathname is everything after the 5th field). */
export function mappedPaths(maps: string, paths: ReadonlySet<string>): Set<string> {
  const found = new Set<string>()
  for (const line of maps.split('\n')) {
    const slash = line.indexOf('/')
    if (slash < 0) continue
    // Only the pathname column can hold a '/', so everything from the first slash is the path.
    const target = parseFdTarget(line.slice(slash).trimEnd())
    if (target && paths.has(target)) found.add(target)
  }
  return found
}

export interface ProcHolder {
  pid: number
  /** Device real paths this process has open. */
  devices: Set<string>
}

export interface ProcScan {
  holders: ProcHolder[]
  /** Processes whose open files could not be read (another user's, without privileges). */
  unreadable: number
  scanned: number
}

/**
 * Finds the processes that have one of `devices` open, the way fuser does: readlink every fd.
 * Vanished pids and unreadable processes are counted or skipped, never thrown.
 */
export function scanOpenFiles(devices: ReadonlySet<string>, procRoot = '/proc'): ProcScan {
  const holders: ProcHolder[] = []
  let unreadable = 0
  let scanned = 0
  if (devices.size === 0) return { holders, unreadable, scanned }
  const pids = readdirSync(procRoot) // a failure here means /proc itself is unusable: let it throw
  for (const entry of pids) {
    const code = entry.charCodeAt(0)
    if (code < 48 || code > 57) continue
    const fdDir = `${procRoot}/${entry}/fd`
    let fds: string[]
    try {
      fds = readdirSync(fdDir)
    } catch (err) {
      const c = errorCode(err)
      if (c === 'EACCES' || c === 'EPERM') unreadable++
      continue // ENOENT: the process ended while we looked
    }
    scanned++
    let found: Set<string> | null = null
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
      // Cheap pre-check before building a path string for every socket and pipe.
      if (link.charCodeAt(0) !== 47) continue
      const target = parseFdTarget(link)
      if (target && devices.has(target)) (found ??= new Set()).add(target)
    }
    if (denied) unreadable++
    if (found) holders.push({ pid: Number(entry), devices: found })
  }
  return { holders, unreadable, scanned }
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
