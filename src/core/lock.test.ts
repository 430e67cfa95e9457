import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LOCK_FILE, acquireMonitorLock, runningMonitor } from './lock.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'camguard-lock-'))

/** A pid that certainly belonged to a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' })
  return Number(child.stdout.trim())
}

describe('the monitor lock', () => {
  it('lets one holder in and names it to the next', () => {
    const dir = tmp()
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, startedAt: 'x' }))
    const second = acquireMonitorLock(dir)
    expect(second).toMatchObject({ ok: false, holder: { pid: process.ppid } })
    expect(runningMonitor(dir)?.pid).toBe(process.ppid)
  })

  it('takes over a lock left by a monitor that crashed', () => {
    const dir = tmp()
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), startedAt: 'x' }))
    const lock = acquireMonitorLock(dir)
    expect(lock.ok).toBe(true)
    if (lock.ok) lock.release()
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
  })

  it('takes over a half-written or empty lock file', () => {
    const dir = tmp()
    writeFileSync(join(dir, LOCK_FILE), '')
    expect(acquireMonitorLock(dir).ok).toBe(true)
  })

  it('releases so that the next monitor can start', () => {
    const dir = tmp()
    const first = acquireMonitorLock(dir)
    expect(first.ok).toBe(true)
    if (first.ok) first.release()
    expect(runningMonitor(dir)).toBeNull()
    expect(acquireMonitorLock(dir).ok).toBe(true)
  })
})
