// The plain /proc scan and maps reader, kept as references the detector's cached scanner
// (src/core/camera/proc.ts) is checked against. Test-only: the product never runs these.
import { readdirSync } from 'node:fs'
import { parseFdTarget, readDeviceFds } from '../../src/core/camera/proc.js'

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
    const read = readDeviceFds(`${procRoot}/${entry}/fd`, devices)
    if (read === 'gone') continue // the process ended while we looked
    if (read === 'unreadable') {
      unreadable++
      continue
    }
    scanned++
    if (read.denied) unreadable++
    if (read.devices) holders.push({ pid: Number(entry), devices: new Set(read.devices.values()) })
  }
  return { holders, unreadable, scanned }
}
