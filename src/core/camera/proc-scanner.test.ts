// The cached /proc scanner against the real kernel: it must see what the plain scan sees, even for
// a process it already looked at and remembered.
import { spawn } from 'node:child_process'
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { mappedPaths, scanOpenFiles } from '../../../tests/support/proc-reference.js'
import { ProcScanner, mappedDevices } from './proc.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function device(): string {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-scan-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'video0')
  writeFileSync(path, Buffer.alloc(4096))
  return path
}

// Sleeps idle until told to open or close the device (one line on stdin each). "swap" closes
// another file and opens the device, so the number of open files stays the same.
const SLEEPER = `
import sys
f = None
other = open("/dev/null", "rb")
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "open": f = open(sys.argv[1], "rb")
    if line.strip() == "close" and f: f.close(); f = None
    if line.strip() == "swap": other.close(); f = open(sys.argv[1], "rb")
    print("done", flush=True)
`

function sleeper(path: string) {
  const child = spawn('/usr/bin/python3', ['-c', SLEEPER, path], { stdio: ['pipe', 'pipe', 'inherit'] })
  cleanups.push(() => child.kill('SIGKILL'))
  let out = ''
  const seen = (word: string, count: number) =>
    new Promise<void>((resolve) => {
      const check = () => out.split(word).length - 1 >= count && (resolve(), true)
      if (!check()) child.stdout!.on('data', () => check())
    })
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  let sent = 0
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    pid: child.pid!,
    async stop() {
      child.kill('SIGKILL')
      await exited
    },
    ready: seen('ready', 1),
    async send(cmd: string) {
      child.stdin!.write(cmd + '\n')
      await seen('done', ++sent)
    },
  }
}

describe.runIf(process.platform === 'linux')('ProcScanner', () => {
  it('finds a device opened by a process it already remembered as idle, and its close', async () => {
    const path = device()
    const p = sleeper(path)
    await p.ready
    const scanner = new ProcScanner()
    const devices = new Set([path])
    expect(scanner.scan(devices).holders).toEqual([]) // first sight: read and remembered
    expect(scanner.scan(devices).holders).toEqual([]) // second: read with its run-time fingerprint
    const again = scanner.scan(devices)
    expect(again.holders).toEqual([])
    expect(again.reused).toBeGreaterThan(0) // idle processes were not read again

    await p.send('open')
    const opened = scanner.scan(devices)
    expect(opened.holders.map((h) => h.pid)).toEqual([p.pid])
    expect([...opened.holders[0]!.devices]).toEqual([path])
    // Remembered while it stays idle, and still reported.
    expect(scanner.scan(devices).holders.map((h) => h.pid)).toEqual([p.pid])

    await p.send('close')
    expect(scanner.scan(devices).holders).toEqual([])
  })

  it('remembers from the first look when eager (a monitor), and still sees a later open', async () => {
    const path = device()
    const p = sleeper(path)
    await p.ready
    const scanner = new ProcScanner()
    scanner.eager = true
    const devices = new Set([path])
    expect(scanner.scan(devices).reused).toBe(0)
    expect(scanner.scan(devices).reused).toBeGreaterThan(0)
    await p.send('open')
    expect(scanner.scan(devices).holders.map((h) => h.pid)).toEqual([p.pid])
    scanner.close()
  })

  it('keeps schedstat files open only for live processes, and closes them all on close()', async () => {
    const keptFor = (pid?: number) =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          const link = readlinkSync(`/proc/self/fd/${fd}`)
          return link.endsWith('/schedstat') && (pid === undefined || link === `/proc/${pid}/schedstat`)
        } catch {
          return false
        }
      }).length
    const before = keptFor() // other scanners in this process
    const path = device()
    const p = sleeper(path)
    await p.ready
    const scanner = new ProcScanner()
    scanner.eager = true
    const devices = new Set([path])
    scanner.scan(devices)
    expect(keptFor(p.pid)).toBe(1)
    await p.send('open')
    expect(scanner.scan(devices).holders.map((h) => h.pid)).toEqual([p.pid])
    await p.stop()
    expect(scanner.scan(devices).holders).toEqual([])
    expect(keptFor(p.pid)).toBe(0)
    expect(keptFor()).toBeGreaterThan(before)
    scanner.close()
    expect(keptFor()).toBe(before)
  })

  it('in a quiet reconciliation, re-reads a known process only when its number of open files changed', async () => {
    const path = device()
    const opener = sleeper(path)
    const swapper = sleeper(path)
    await Promise.all([opener.ready, swapper.ready])
    const scanner = new ProcScanner()
    scanner.eager = true
    const devices = new Set([path])
    scanner.scan(devices)
    await opener.send('open')
    await swapper.send('swap')
    // The opener has one file more: read again. The swapper has as many as before: kept, as its
    // open is what inotify reports, and that makes the next scan a full one.
    expect(scanner.scan(devices, { quiet: true }).holders.map((h) => h.pid)).toEqual([opener.pid])
    expect(
      scanner
        .scan(devices)
        .holders.map((h) => h.pid)
        .sort((a, b) => a - b),
    ).toEqual([opener.pid, swapper.pid].sort((a, b) => a - b))
    // A holder is always read again, quiet or not.
    await opener.send('close')
    expect(scanner.scan(devices, { quiet: true }).holders.map((h) => h.pid)).toEqual([swapper.pid])
  })

  it('agrees with the plain scan', async () => {
    const path = device()
    const p = sleeper(path)
    await p.ready
    await p.send('open')
    const scanner = new ProcScanner()
    const devices = new Set([path])
    scanner.scan(devices)
    scanner.scan(devices)
    const cached = scanner.scan(devices)
    expect(cached.reused).toBeGreaterThan(0)
    const plain = scanOpenFiles(devices)
    expect(cached.holders.map((h) => ({ pid: h.pid, devices: h.devices }))).toEqual(plain.holders)
    expect(cached.unreadable).toBe(plain.unreadable)
  })

  it('looks afresh when a device node is replaced: a file held before it became the node is found', async () => {
    const path = device()
    // Held as stdin by an idle process, then renamed into the device's place: the process never
    // runs again, so nothing it does would make the scanner look at it.
    const staging = `${path}.staging`
    writeFileSync(staging, Buffer.alloc(4096))
    const fd = openSync(staging, 'r')
    const idle = spawn('sleep', ['60'], { stdio: [fd, 'ignore', 'ignore'] })
    cleanups.push(() => idle.kill('SIGKILL'))
    await new Promise((resolve) => idle.once('spawn', resolve))
    closeSync(fd)
    const scanner = new ProcScanner()
    scanner.eager = true
    const devices = new Set([path])
    expect(scanner.scan(devices).holders).toEqual([])
    expect(scanner.scan(devices).reused).toBeGreaterThan(0)
    renameSync(staging, path)
    expect(scanner.scan(devices).holders.map((h) => h.pid)).toEqual([idle.pid])
    scanner.close()
  })

  it('forgets what it knew when the device set changes', async () => {
    const a = device()
    const b = device()
    const p = sleeper(b)
    await p.ready
    await p.send('open')
    const scanner = new ProcScanner()
    expect(scanner.scan(new Set([a])).holders).toEqual([])
    expect(scanner.scan(new Set([b])).holders.map((h) => h.pid)).toEqual([p.pid])
  })

  it('names process details once per process, and again for a new process on the same pid', () => {
    const scanner = new ProcScanner()
    const first = scanner.details(process.pid)
    expect(first?.name).toBe('node')
    expect(scanner.details(process.pid)).toBe(first)
    expect(scanner.details(2 ** 22 + 1)).toBeNull()
  })
})

describe('mappedDevices', () => {
  const maps = [
    '7f00-7f01 rw-s 00000000 00:05 12 /dev/video10',
    '7f01-7f02 rw-s 00000000 00:05 13 /tmp/a dir/video0 (deleted)',
    '7f02-7f03 r--p 00000000 00:05 14 /usr/lib/libx.so',
    '7f03-7f04 rw-s 00000000 00:05 15 /dev/video2   ',
    '7f04-7f05 rw-p 00000000 00:00 0 [heap]',
  ].join('\n')

  it('matches whole pathnames only, like mappedPaths', () => {
    const paths = new Set(['/dev/video1', '/dev/video10', '/tmp/a dir/video0', '/dev/video2', '/usr/lib'])
    expect(mappedDevices(maps, paths)).toEqual(mappedPaths(maps, paths))
    expect([...mappedDevices(maps, paths)].sort()).toEqual([
      '/dev/video10',
      '/dev/video2',
      '/tmp/a dir/video0',
    ])
  })

  it('does not take a path that only ends a longer pathname', () => {
    const text = '7f00-7f01 rw-s 00000000 00:05 12 /tmp/x /dev/video0\n'
    expect(mappedDevices(text, ['/dev/video0'])).toEqual(new Set())
  })
})
