// Programs that hold a test device under a name of their choosing: a copy of `sleep` (whose
// executable the kernel reports as the copy), and a Python process that renames itself (prctl
// PR_SET_NAME, as any program can) before it opens the device.
import { spawn } from 'node:child_process'
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  realpathSync,
  renameSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { PYTHON } from './processes.js'

export interface Held {
  pid: number
  /** The executable /proc/PID/exe names. */
  exe: string
  alive(): boolean
  stop(): Promise<void>
}

function track(child: ReturnType<typeof spawn>, exe: string): Held {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    pid: child.pid!,
    exe,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

/**
 * A copy of sleep at DIR/NAME (a fresh folder unless given), holding `device` open as its stdin.
 * sleep cannot open a file itself, and whoever opens it for sleep (this test, a shell) would be seen
 * using the device first: so it gets a new file under another name, renamed to `device` once sleep
 * runs (the open file follows the rename).
 */
export async function sleepAs(
  name: string,
  device: string,
  dir = mkdtempSync(join(tmpdir(), 'camguard-app-')),
): Promise<Held> {
  const exe = join(dir, name)
  copyFileSync(realpathSync('/bin/sleep'), exe)
  // Not a name the device patterns match.
  const staging = join(dirname(device), `.staging-${process.pid}-${Date.now()}`)
  writeFileSync(staging, Buffer.alloc(8192))
  const fd = openSync(staging, 'r')
  const child = spawn(exe, ['3600'], { stdio: [fd, 'ignore', 'inherit'] })
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve())
      child.once('error', reject)
    })
  } finally {
    closeSync(fd)
  }
  renameSync(staging, device)
  return track(child, realpathSync(exe))
}

/** A Python process that sets its own name (comm) to `name`, then holds `device` open. */
export async function pythonCalling(name: string, device: string): Promise<Held> {
  const script = [
    'import ctypes, sys, time',
    // PR_SET_NAME = 15: the name ps, top and /proc/PID/comm show.
    `ctypes.CDLL(None).prctl(15, ${JSON.stringify(name)}.encode(), 0, 0, 0)`,
    `f = open(${JSON.stringify(device)}, "rb")`,
    'sys.stdout.write("ready\\n"); sys.stdout.flush()',
    'time.sleep(3600)',
  ].join('\n')
  const child = spawn(PYTHON, ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), out.includes('ready') && resolve()))
    child.once('exit', (code) => reject(new Error(`python exited early (${code})`)))
  })
  return track(child, realpathSync(PYTHON))
}
