// stopApp against real processes: one that closes when asked, one that ignores SIGTERM, one that
// has already ended, another user's, and init.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { makeDevice, startHolder, type Holder } from '../../tests/support/processes.js'
import { stopApp } from './stop-app.js'

const isRoot = process.getuid?.() === 0
const started: { kill(): void }[] = []
afterEach(() => {
  for (const p of started.splice(0)) p.kill()
})

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // A child we have not reaped yet is a zombie: it has ended.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

async function holder(ignoreTerm: boolean): Promise<Holder> {
  const { dir, device } = makeDevice()
  const h = await startHolder(device, 'map', { ignoreTerm })
  started.push({ kill: () => void h.stop().then(() => rmSync(dir, { recursive: true, force: true })) })
  return h
}

function waitExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
}

describe.skipIf(process.platform !== 'linux')('stopApp', () => {
  it("ends an app that closes when asked ('terminated')", async () => {
    const h = await holder(false)
    const exited = waitExit(h.child)
    const result = await stopApp(h.pid)
    expect(result).toMatchObject({ ok: true, pid: h.pid, outcome: 'terminated' })
    await exited
    expect(h.child.signalCode).toBe('SIGTERM')
  })

  it("forces an app that ignores SIGTERM to end ('killed')", async () => {
    const h = await holder(true)
    const exited = waitExit(h.child)
    const result = await stopApp(h.pid, { graceMs: 500 })
    expect(result).toMatchObject({ ok: true, pid: h.pid, outcome: 'killed' })
    expect(result.message).toMatch(/forced/)
    await exited
    expect(h.child.signalCode).toBe('SIGKILL')
    expect(alive(h.pid)).toBe(false)
  })

  it("says an app that has already ended is gone ('gone')", async () => {
    const child = spawn('/bin/true')
    await waitExit(child)
    const result = await stopApp(child.pid!)
    expect(result).toMatchObject({ ok: true, outcome: 'gone' })
  })

  it.skipIf(!isRoot)("refuses another user's process and leaves it running", async () => {
    const child = spawn('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sleep', '30'], {
      stdio: 'ignore',
    })
    started.push({ kill: () => child.kill('SIGKILL') })
    const pid = child.pid!
    // setpriv changes user, then becomes sleep (same pid).
    for (let i = 0; i < 100; i++) {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      if (/^Uid:\s+65534/m.test(status) && /^Name:\s+sleep/m.test(status)) break
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Uid:\s+65534/m)
    const result = await stopApp(pid, { graceMs: 300 })
    expect(result).toMatchObject({ ok: false, outcome: 'refused' })
    expect(result.message).toMatch(/another user/)
    expect(alive(pid)).toBe(true)
  })

  it('refuses init (pid 1), pid 0, negative pids and CamGuard itself', async () => {
    for (const pid of [1, 0, -1, 1.5]) {
      expect(await stopApp(pid)).toMatchObject({ ok: false, outcome: 'refused' })
    }
    expect(alive(1)).toBe(true)
    expect(await stopApp(process.pid)).toMatchObject({ ok: false, outcome: 'refused' })
  })
})
