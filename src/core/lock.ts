import { closeSync, linkSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { FILE_MODE, ensureDir, errorCode } from './files.js'

export const LOCK_FILE = 'monitor.lock'

export interface LockInfo {
  pid: number
  startedAt: string
}

export type LockResult = { ok: true; release: () => void } | { ok: false; holder: LockInfo }

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the pid exists but belongs to someone else.
    return errorCode(err) === 'EPERM'
  }
}

export function readLock(dir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as Partial<LockInfo>
    if (typeof info.pid === 'number' && Number.isInteger(info.pid) && info.pid > 0) {
      return { pid: info.pid, startedAt: String(info.startedAt ?? '') }
    }
  } catch {
    // missing or unreadable: no live holder can be named
  }
  return null
}

/** The pid of the monitor that holds this data directory, or null when none is running. */
export function runningMonitor(dir: string): LockInfo | null {
  const info = readLock(dir)
  return info && info.pid !== process.pid && isAlive(info.pid) ? info : null
}

/**
 * One monitor per data directory. The lock names its holder's pid; a lock whose holder is gone
 * (a crash, a kill -9) is taken over, so it never stays stuck.
 */
export function acquireMonitorLock(dir: string, now: Date = new Date()): LockResult {
  ensureDir(dir)
  const path = join(dir, LOCK_FILE)
  for (let attempt = 0; attempt < 3; attempt++) {
    // Written whole to a private file, then linked into place: the lock never exists half-written.
    const tmp = `${path}.${process.pid}.tmp`
    const fd = openSync(tmp, 'w', FILE_MODE)
    writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: now.toISOString() }))
    closeSync(fd)
    try {
      linkSync(tmp, path)
      rmSync(tmp, { force: true })
      let released = false
      return {
        ok: true,
        release: () => {
          if (released) return
          released = true
          if (readLock(dir)?.pid === process.pid) rmSync(path, { force: true })
        },
      }
    } catch (err) {
      rmSync(tmp, { force: true })
      if (errorCode(err) !== 'EEXIST') throw err
    }
    const holder = readLock(dir)
    if (holder && holder.pid !== process.pid && isAlive(holder.pid)) return { ok: false, holder }
    // Stale (dead holder, or a half-written file): remove and try again.
    rmSync(path, { force: true })
  }
  const holder = readLock(dir)
  return { ok: false, holder: holder ?? { pid: 0, startedAt: '' } }
}
