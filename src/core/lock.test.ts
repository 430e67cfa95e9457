import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isRunning } from '../../tests/support/processes.js'
import { LOCK_FILE, acquireMonitorLock, runningMonitor } from './lock.js'
import { processIdentity } from './stop-app.js'

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

  it('records its own start time, and a lock naming a running monitor with it holds', () => {
    const dir = tmp()
    const lock = acquireMonitorLock(dir)
    expect(lock.ok).toBe(true)
    const written = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as {
      pid: number
      processStart: string
    }
    expect(written.pid).toBe(process.pid)
    expect(written.processStart).toBe(processIdentity(process.pid)!.startedAt)
    if (lock.ok) lock.release()
  })

  it.skipIf(process.platform !== 'linux')(
    'takes over a lock whose pid now belongs to another program (another start time), and leaves that program alone',
    async () => {
      const other = spawn('sleep', ['30'], { stdio: 'ignore' })
      try {
        const pid = other.pid!
        const start = processIdentity(pid)!.startedAt!
        const dir = tmp()
        // The same pid and the same start time: the monitor is still running.
        writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, startedAt: 'x', processStart: start }))
        expect(acquireMonitorLock(dir)).toMatchObject({ ok: false, holder: { pid } })
        expect(runningMonitor(dir)?.pid).toBe(pid)
        // The pid as it was before a reboot: another start time, so another program.
        writeFileSync(
          join(dir, LOCK_FILE),
          JSON.stringify({ pid, startedAt: 'x', processStart: String(Number(start) - 1) }),
        )
        expect(runningMonitor(dir)).toBeNull()
        const lock = acquireMonitorLock(dir)
        expect(lock.ok).toBe(true)
        expect((JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid).toBe(
          process.pid,
        )
        if (lock.ok) lock.release()
        expect(other.exitCode).toBeNull()
        expect(isRunning(pid)).toBe(true)
      } finally {
        other.kill('SIGKILL')
      }
    },
  )

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
