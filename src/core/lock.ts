import { closeSync, linkSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { FILE_MODE, ensureDir, errorCode } from './files.js'
import { processIdentity } from './stop-app.js'

export const LOCK_FILE = 'monitor.lock'

export interface LockInfo {
  pid: number
  startedAt: string
  /**
   * The holder's process start time (/proc/<pid>/stat, clock ticks since boot): after a reboot or
   * a long time the pid may belong to another program, whose start time differs. null where the
   * system does not tell (the pid alone is then checked).
   */
  processStart: string | null
}

/** This process's start time as the lock records it. */
function ownStart(): string | null {
  return process.platform === 'linux' ? (processIdentity(process.pid)?.startedAt ?? null) : null
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

/** The monitor the lock names is still running: its pid is alive and is the same process. */
function holderRunning(info: LockInfo): boolean {
  if (info.pid === process.pid || !isAlive(info.pid)) return false
  if (info.processStart === null || process.platform !== 'linux') return true
  const now = processIdentity(info.pid)
  // null: it ended (or is a zombie) since the check above.
  return now !== null && (now.startedAt === null || now.startedAt === info.processStart)
}

export function readLock(dir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as Partial<LockInfo>
    if (typeof info.pid === 'number' && Number.isInteger(info.pid) && info.pid > 0) {
      return {
        pid: info.pid,
        startedAt: String(info.startedAt ?? ''),
        processStart: typeof info.processStart === 'string' ? info.processStart : null,
      }
    }
  } catch {
    // missing or unreadable: no live holder can be named
  }
  return null
}

/** The pid of the monitor that holds this data directory, or null when none is running. */
export function runningMonitor(dir: string): LockInfo | null {
  const info = readLock(dir)
  return info && holderRunning(info) ? info : null
}

/**
 * One monitor per data directory. The lock names its holder's pid and start time; a lock whose
 * holder is gone (a crash, a kill -9, a reboot that gave the pid to another program) is taken over,
 * so it never stays stuck.
 */
export function acquireMonitorLock(dir: string, now: Date = new Date()): LockResult {
  ensureDir(dir)
  const path = join(dir, LOCK_FILE)
  for (let attempt = 0; attempt < 3; attempt++) {
    // Written whole to a private file, then linked into place: the lock never exists half-written.
    const tmp = `${path}.${process.pid}.tmp`
    const fd = openSync(tmp, 'w', FILE_MODE)
    const info: LockInfo = { pid: process.pid, startedAt: now.toISOString(), processStart: ownStart() }
    writeSync(fd, JSON.stringify(info))
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
    if (holder && holderRunning(holder)) return { ok: false, holder }
    // Stale (dead holder, its pid now another program's, or a half-written file): remove, try again.
    rmSync(path, { force: true })
  }
  const holder = readLock(dir)
  return { ok: false, holder: holder ?? { pid: 0, startedAt: '', processStart: null } }
}
