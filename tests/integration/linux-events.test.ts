// Event-driven Linux detection against the real kernel: inotify on test device files, real /proc.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { MonitorEvent } from '../../src/shared/types.js'
import { createLinuxDetector, type LinuxDetectorOptions } from '../../src/core/camera/linux.js'
import type { FileWatcherFactory } from '../../src/core/camera/inotify.js'
import { Monitor } from '../../src/core/monitor.js'
import { PYTHON, makeDevice, startHolder, type Holder } from '../support/processes.js'

const NEVER = 10 * 60_000 // timers that must not be what notices a change in a test

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A monitor whose own poll interval is NEVER unless given: then only events or the detector's timers notice. */
function startMonitor(
  options: Partial<LinuxDetectorOptions> & { devicePatterns: () => readonly string[] },
  intervalMs = NEVER,
) {
  const detector = createLinuxDetector({ pwDump: null, ...options })
  const monitor = new Monitor({ detector, intervalMs: () => intervalMs })
  const events: MonitorEvent[] = []
  const waiters: { type: string; from: number; resolve: (e: MonitorEvent) => void }[] = []
  monitor.on((e) => {
    events.push(e)
    for (const w of [...waiters])
      if (w.type === e.type && events.length > w.from) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(e)
      }
  })
  const next = <T extends MonitorEvent['type']>(type: T, timeoutMs = 10_000) => {
    const from = events.length
    return new Promise<Extract<MonitorEvent, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${type} event; saw ${events.map((e) => e.type).join(', ')}`)),
        timeoutMs,
      )
      waiters.push({
        type,
        from,
        resolve: (e) => {
          clearTimeout(timer)
          resolve(e as Extract<MonitorEvent, { type: T }>)
        },
      })
    })
  }
  cleanups.push(() => monitor.stop())
  return { monitor, events, next }
}

function hold(h: Promise<Holder>): Promise<Holder> {
  return h.then((holder) => {
    cleanups.push(() => holder.stop())
    return holder
  })
}

/** inotifywait processes (children of this test process) watching `path`. */
function watchersOf(path: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (cmd[0]?.endsWith('inotifywait') && cmd.some((a) => a.startsWith(path))) pids.push(Number(entry))
    } catch {
      // ended while we looked
    }
  }
  return pids
}

// A stand-in for a media broker: holds the device open, maps it on "map", unmaps on "unmap" (no
// open or close of the device node on either, so inotify says nothing).
const BROKER = `
import mmap, sys
f = open(sys.argv[1], "r+b")
m = None
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "map": m = mmap.mmap(f.fileno(), 0)
    if line.strip() == "unmap" and m: m.close(); m = None
    print("done", flush=True)
`

function startBroker(device: string): { child: ChildProcess; send(cmd: string): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-exe-'))
  const exe = join(dir, 'pipewire') // the kernel names the process after the file it was started from
  symlinkSync(PYTHON, exe)
  const child = spawn(exe, ['-c', BROKER, device], { stdio: ['pipe', 'pipe', 'inherit'] })
  cleanups.push(() => {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })
  let out = ''
  const waitFor = (word: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        const at = out.indexOf(word)
        if (at < 0) return false
        out = out.slice(at + word.length)
        resolve()
        return true
      }
      if (check()) return
      const on = () => {
        if (check()) child.stdout!.off('data', on)
      }
      child.stdout!.on('data', on)
    })
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  const ready = waitFor('ready')
  return {
    child,
    async send(cmd) {
      await ready
      const done = waitFor('done')
      child.stdin!.write(cmd + '\n')
      await done
    },
  }
}

describe('event-driven Linux detection', () => {
  it('reports an open and a close of a device from inotify events alone, and leaves no watcher behind', async () => {
    const dev = makeDevice()
    cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
    const { monitor, next } = startMonitor({
      devicePatterns: () => [dev.pattern],
      reconcileMs: NEVER,
      holderPollMs: NEVER,
    })
    const ready = next('ready')
    await monitor.start()
    const r = await ready
    expect(r.snapshot.state).toBe('off')
    expect(r.snapshot.mode).toBe('event')
    expect(monitor.mode).toBe('event')
    expect(watchersOf(dev.device).length).toBeGreaterThan(0)

    const on = next('camera-on')
    const holder = await hold(startHolder(dev.device, 'open'))
    const event = await on
    expect(event.apps.map((a) => a.pid)).toEqual([holder.pid])
    expect(event.apps[0]!.evidence).toBe('open')

    const off = next('camera-off')
    await holder.stop()
    await off

    await monitor.stop()
    expect(watchersOf(dev.device)).toEqual([])
    expect(watchersOf(dev.dir)).toEqual([])
  })

  it('starts watching a device file that appears later', async () => {
    const dev = makeDevice()
    cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
    const { monitor, next } = startMonitor({
      devicePatterns: () => [dev.pattern],
      reconcileMs: NEVER,
      holderPollMs: NEVER,
    })
    const ready = next('ready')
    await monitor.start()
    await ready
    const second = join(dev.dir, 'video1')
    writeFileSync(second, Buffer.alloc(4096))
    // The folder watch sees the new node; the file watch is rebuilt to include it.
    const deadline = Date.now() + 10_000
    while (!watchersOf(second).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(watchersOf(second).length).toBeGreaterThan(0)

    const on = next('camera-on')
    const holder = await hold(startHolder(second, 'open'))
    expect((await on).apps.map((a) => a.pid)).toEqual([holder.pid])
  })

  it('notices a broker that starts and stops streaming without opening or closing the device', async () => {
    const dev = makeDevice()
    cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
    const broker = startBroker(dev.device)
    await broker.send('noop')
    const { monitor, next } = startMonitor({ devicePatterns: () => [dev.pattern], reconcileMs: NEVER })
    const ready = next('ready')
    await monitor.start()
    // A broker that only holds the device open does not make the camera on (DESIGN.md §3).
    expect((await ready).snapshot.state).toBe('off')

    const on = next('camera-on')
    await broker.send('map')
    const event = await on
    expect(event.apps).toEqual([
      expect.objectContaining({ pid: broker.child.pid, name: 'pipewire', evidence: 'streaming' }),
    ])

    const off = next('camera-off')
    await broker.send('unmap')
    await off
    expect(broker.child.exitCode).toBeNull() // still holding the device open
  })

  it('falls back to polling when inotify is unavailable, and says so', async () => {
    const dev = makeDevice()
    cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
    const unavailable: FileWatcherFactory = () => Promise.reject(new Error('inotifywait: not found'))
    const { monitor, next } = startMonitor({ devicePatterns: () => [dev.pattern], watcher: unavailable }, 100)
    const ready = next('ready')
    await monitor.start()
    const r = await ready
    expect(r.snapshot.mode).toBe('poll')
    expect(r.mode).toBe('poll')
    expect(r.snapshot.warnings.join(' ')).toMatch(/Could not watch the camera devices/)

    const on = next('camera-on')
    const holder = await hold(startHolder(dev.device, 'map'))
    expect((await on).apps.map((a) => a.pid)).toEqual([holder.pid])
    const off = next('camera-off')
    await holder.stop()
    await off
  })

  it('polls when polling is forced, without starting a watcher', async () => {
    const dev = makeDevice()
    cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
    let started = 0
    const counting: FileWatcherFactory = async () => {
      started++
      return { stop: async () => {} }
    }
    const { monitor, next } = startMonitor(
      {
        devicePatterns: () => [dev.pattern],
        watcher: counting,
        detection: 'poll',
      },
      100,
    )
    const ready = next('ready')
    await monitor.start()
    expect((await ready).snapshot.mode).toBe('poll')
    const on = next('camera-on')
    await hold(startHolder(dev.device, 'open'))
    await on
    expect(started).toBe(0)
  })

  it('catches a change made while the watch was deaf with the reconciliation check', async () => {
    const dev = makeDevice()
    cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
    // A watch that stands but never reports: the events of the open below are lost.
    const deaf: FileWatcherFactory = async () => ({ stop: async () => {} })
    const { monitor, next, events } = startMonitor({
      devicePatterns: () => [dev.pattern],
      watcher: deaf,
      reconcileMs: 700,
      holderPollMs: NEVER,
    })
    const ready = next('ready')
    await monitor.start()
    expect((await ready).snapshot.mode).toBe('event')

    const on = next('camera-on')
    const holder = await hold(startHolder(dev.device, 'open'))
    expect((await on).apps.map((a) => a.pid)).toEqual([holder.pid])
    const off = next('camera-off')
    await holder.stop()
    await off
    expect(events.filter((e) => e.type === 'state-unknown')).toEqual([])
  })
})
