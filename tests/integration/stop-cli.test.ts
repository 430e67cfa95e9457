// `camguard stop PID` against real processes: only an app using the (test) camera now is stopped;
// the user's shell (`stop $PPID`), a bystander and a pid typed loosely are refused.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CLI, HOLDER, PYTHON, isRunning, makeDevice, runCli, startHolder } from '../support/processes.js'

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
      // One plain sentence: the value, what to give instead, where the help is; no words of commander's.
      expect(r.stderr).toBe(
        `camguard: ${JSON.stringify(pid)} is not a process id: give it as plain digits as CamGuard shows it (for example 4242). See "camguard stop --help".\n`,
      )
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

// A pid really reused: in a pid namespace of its own (root only), the app ends by itself while stop
// waits for it, and the kernel is told (ns_last_pid) to give its number to the next process, `sleep`.
const RECYCLE = `
import json, os, subprocess, sys
python, holder, dev, node, cli = sys.argv[1:6]
app = subprocess.Popen([python, holder, dev, "map", "--exit-after-term", "0.3"], stdout=subprocess.PIPE)
app.stdout.readline()
stop = subprocess.Popen([node, cli, "stop", str(app.pid), "--device", dev], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
app.wait()
with open("/proc/sys/kernel/ns_last_pid", "w") as f:
    f.write(str(app.pid - 1))
other = subprocess.Popen(["sleep", "30"])
out, err = stop.communicate(timeout=60)
print(json.dumps({"app": app.pid, "other": other.pid, "code": stop.returncode, "out": out, "err": err, "otherAlive": other.poll() is None}))
other.kill()
`

describe.skipIf(process.platform !== 'linux' || process.getuid?.() !== 0)(
  'camguard stop and a reused pid',
  () => {
    it('never signals the program that got the pid after the app ended', { timeout: 90_000 }, async () => {
      const { device: dev } = device()
      const r = spawnSync(
        'unshare',
        [
          '--pid',
          '--fork',
          '--mount-proc',
          PYTHON,
          '-c',
          RECYCLE,
          PYTHON,
          HOLDER,
          dev,
          process.execPath,
          CLI,
        ],
        { encoding: 'utf8', timeout: 80_000, env: { ...process.env, ...env(), NO_COLOR: '1' } },
      )
      expect(r.status, r.stderr).toBe(0)
      const got = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
        app: number
        other: number
        code: number
        out: string
        err: string
        otherAlive: boolean
      }
      expect(got.other, 'the kernel gave the pid to the next process').toBe(got.app)
      expect(got.code, got.err).toBe(0)
      expect(got.out).toMatch(/asked to close and did/)
      expect(got.otherAlive).toBe(true)
    })
  },
)
