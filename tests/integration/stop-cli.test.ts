// `camguard stop PID` against real processes: only an app using the (test) camera now is stopped;
// the user's shell (`stop $PPID`), a bystander and a pid typed loosely are refused.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CLI, PYTHON, isRunning, makeDevice, runCli, startHolder } from '../support/processes.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** Each run its own data directory: the tests never touch the real one. */
const env = () => {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-stop-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return { CAMGUARD_DATA_DIR: dir }
}

function device() {
  const d = makeDevice()
  cleanups.push(() => rmSync(d.dir, { recursive: true, force: true }))
  return d
}

describe('camguard stop', { timeout: 60_000 }, () => {
  it.each([' 12', '12 ', '12abc', '0x1', '+12', '012', '1e3', '-1', '0', '99999999999'])(
    'takes only a plain decimal pid: %j exits 2 and stops nothing',
    async (pid) => {
      const r = await runCli(['stop', pid, '--device', '/nonexistent/video*'], env())
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/process id must be plain digits/)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    },
  )

  it.skipIf(process.platform !== 'linux')('stops an app that uses the camera now', async () => {
    const { device: dev } = device()
    const h = await startHolder(dev, 'map')
    cleanups.push(() => h.stop())
    const r = await runCli(['stop', String(h.pid), '--device', dev], env())
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`Process ${h.pid} was asked to close and did`))
  })

  it.skipIf(process.platform !== 'linux')('refuses a process that is not using the camera', async () => {
    const { device: dev } = device()
    const bystander = spawn('sleep', ['60'], { stdio: 'ignore' })
    cleanups.push(() => bystander.kill('SIGKILL'))
    const r = await runCli(['stop', String(bystander.pid), '--device', dev], env())
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/not using the camera or the microphone now/)
    expect(isRunning(bystander.pid!)).toBe(true)
  })

  it.skipIf(process.platform !== 'linux')(
    'refuses its own parent (stop $PPID), even when that parent holds the camera',
    async () => {
      const { device: dev } = device()
      // The parent maps the camera, then runs camguard stop with its own pid, as `stop $PPID` would.
      const script = `
import mmap, os, subprocess, sys
f = open(sys.argv[1], "r+b"); m = mmap.mmap(f.fileno(), 0)
r = subprocess.run([sys.argv[2], sys.argv[3], "stop", str(os.getpid()), "--device", sys.argv[1]], capture_output=True, text=True)
print("exit", r.returncode); print(r.stderr)`
      const r = spawnSync(PYTHON, ['-c', script, dev, process.execPath, CLI], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, ...env() },
      })
      expect(r.signal).toBeNull()
      expect(r.stdout).toMatch(/^exit 1$/m)
      expect(r.stdout).toMatch(/started CamGuard/)
    },
  )
})
