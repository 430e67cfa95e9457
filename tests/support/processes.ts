import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const HOLDER = join(ROOT, 'tests/support/holder.py')
export const PYTHON = '/usr/bin/python3'
export const CLI = join(ROOT, 'bin/camguard.js')

/** A temp folder with a fake camera device (a plain file with some bytes, so it can be mapped). */
export function makeDevice(name = 'video0'): { dir: string; device: string; pattern: string } {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-dev-'))
  const device = join(dir, name)
  writeFileSync(device, Buffer.alloc(8192))
  return { dir, device, pattern: join(dir, 'video*') }
}

export interface Holder {
  child: ChildProcess
  pid: number
  /** Ends the holder and waits until it has exited. */
  stop(): Promise<void>
}

/**
 * Starts a process that holds `device` open (or mapped), named `as` if given (its name only), or
 * `exe` (an executable file of that name, as /proc/<pid>/exe reports it); resolves once it holds it.
 */
export async function startHolder(
  device: string,
  mode: 'open' | 'map',
  options: { as?: string; exe?: string; exeDir?: string; ignoreTerm?: boolean; execOnTerm?: string } = {},
): Promise<Holder> {
  let exe = PYTHON
  if (options.exe) {
    // exeDir: the same executable again (the same identity), made once.
    const dir = options.exeDir ?? mkdtempSync(join(tmpdir(), 'camguard-exe-'))
    exe = join(dir, options.exe)
    const python = realpathSync(PYTHON)
    try {
      if (!existsSync(exe)) linkSync(python, exe)
    } catch {
      copyFileSync(python, exe) // another file system
    }
  } else if (options.as) {
    // The kernel names a process after the file it was started from: a symlink renames it.
    const dir = mkdtempSync(join(tmpdir(), 'camguard-exe-'))
    exe = join(dir, options.as)
    symlinkSync(PYTHON, exe)
  }
  const args = [
    HOLDER,
    device,
    mode,
    ...(options.ignoreTerm ? ['--ignore-term'] : []),
    ...(options.execOnTerm ? ['--exec-on-term', options.execOnTerm] : []),
  ]
  const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('ready')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`holder exited early (${code})`)))
    child.once('error', reject)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    child,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the built camguard command to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** sh words that mount a small (1 MiB) tmpfs over the folder $0, private to its owner. */
export const SMALL_TMPFS = 'mount -t tmpfs -o size=1m,mode=0700 camguard-test "$0"'

/**
 * A command prefix (for spawn, or startWatch's prefix) that runs what follows in a mount namespace of
 * its own once `setup`, sh words given `dir` as $0, has mounted what it needs: nothing outside sees it.
 */
export function withOwnMounts(dir: string, setup: string): string[] {
  return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `${setup} && exec "$@"`, dir]
}

/** A running `camguard watch`, read line by line. */
export function startWatch(args: string[], env: NodeJS.ProcessEnv = {}, options: { prefix?: string[] } = {}) {
  // prefix: a command that runs it, e.g. unshare with a mount of its own.
  const [file, ...before] = [...(options.prefix ?? []), process.execPath]
  const child = spawn(file!, [...before, CLI, 'watch', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  let partial = ''
  const waiters: { test: (l: string) => boolean; resolve: (l: string) => void }[] = []
  child.stdout.on('data', (d: Buffer) => {
    partial += d.toString()
    const parts = partial.split('\n')
    partial = parts.pop()!
    for (const l of parts) {
      lines.push(l)
      for (const w of [...waiters]) {
        if (w.test(l)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(l)
        }
      }
    }
  })
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {
    child,
    lines,
    get stderr() {
      return stderr
    },
    exit,
    /** Waits for a line after `from` (an index in lines) that passes `test`. */
    waitFor(test: (line: string) => boolean, timeoutMs = 15_000, from = 0): Promise<string> {
      const seen = lines.slice(from).find(test)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`timed out waiting; lines so far:\n${lines.join('\n')}\nstderr:\n${stderr}`)),
          timeoutMs,
        )
        waiters.push({
          test,
          resolve: (l) => {
            clearTimeout(timer)
            resolve(l)
          },
        })
      })
    },
    /** Waits for a JSON event of the given type. */
    async event<T = Record<string, unknown>>(type: string, timeoutMs?: number, from = 0): Promise<T> {
      const l = await this.waitFor((x) => x.startsWith('{') && JSON.parse(x).type === type, timeoutMs, from)
      return JSON.parse(l) as T
    },
  }
}

/** fuser as an oracle: the pids that have the file open. */
export function fuser(file: string): number[] {
  try {
    const out = execFileSync('fuser', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    return out
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .sort((a, b) => a - b)
  } catch {
    return [] // fuser exits 1 when nobody has it open
  }
}

/** Every live process with its parent pid and command line, from /proc. */
export function processTable(): { pid: number; ppid: number; cmdline: string }[] {
  const rows: { pid: number; ppid: number; cmdline: string }[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ')
      rows.push({ pid: Number(entry), ppid, cmdline })
    } catch {
      // ended while we looked
    }
  }
  return rows
}

/** The pids of the live children of `pid` (this process by default), sorted. */
export function childrenOf(pid = process.pid): number[] {
  return processTable()
    .filter((p) => p.ppid === pid)
    .map((p) => p.pid)
    .sort((a, b) => a - b)
}

/** Whether a process runs (a killed one may linger as a zombie until it is reaped: that is not running). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** Reads until `ok` holds for the value (default: truthy); fails saying what, with the last value. */
export async function waitUntil<T>(
  read: () => T | Promise<T>,
  what: string,
  ok: (value: T) => boolean = Boolean,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > end)
      throw new Error(`${what} did not happen within ${ms} ms; last: ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
