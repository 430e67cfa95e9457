// Event-driven Linux detection against the real kernel: inotify on test device files, real /proc.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { MonitorEvent } from '../../src/shared/types.js'
import { createLinuxDetector, type LinuxDetectorOptions } from '../../src/core/camera/linux.js'
import type { FileWatcherFactory } from '../../src/core/camera/inotify.js'
import { Monitor } from '../../src/core/monitor.js'
import { PYTHON, childrenOf, makeDevice, startHolder, type Holder } from '../support/processes.js'

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

/** inotify instances this process holds (the watch runs in-process, not in a helper program). */
function inotifyFds(): number {
  let n = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === 'anon_inode:inotify') n++
    } catch {
      // closed while we looked
    }
  }
  return n
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
  it('reports an open and a close of a device from inotify events alone, in-process, leaving nothing behind', async () => {
    const dev = makeDevice()
    cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
    const fdsBefore = inotifyFds()
    const childrenBefore = childrenOf()
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
    // One instance for the device nodes, one for their folder; no helper program.
    expect(inotifyFds()).toBe(fdsBefore + 2)
    expect(childrenOf()).toEqual(childrenBefore)

    const on = next('camera-on')
    const holder = await hold(startHolder(dev.device, 'open'))
    const event = await on
    expect(event.apps.map((a) => a.pid)).toEqual([holder.pid])
    expect(event.apps[0]!.evidence).toBe('open')

    const off = next('camera-off')
    await holder.stop()
    await off

    await monitor.stop()
    expect(inotifyFds()).toBe(fdsBefore)
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
    // The folder watch sees the new node; the check it triggers lists it, and the file watch is
    // rebuilt to include it (the reconciliation check is far away: only events can tell).
    writeFileSync(second, Buffer.alloc(4096))
    const deadline = Date.now() + 10_000
    const listed = () => monitor.snapshot?.cameras.some((c) => c.devices.includes(second)) === true
    while (!listed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(listed()).toBe(true)

    const on = next('camera-on')
    const holder = await hold(startHolder(second, 'open'))
    expect((await on).apps.map((a) => a.pid)).toEqual([holder.pid])
    // Only a watch on the new node reports its close (no timer would notice here).
    const off = next('camera-off')
    await holder.stop()
    await off
  })

  it('notices a broker that starts and stops streaming without opening or closing the device', async () => {
    const dev = makeDevice()
    cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
    const broker = startBroker(dev.device)
    await broker.send('noop')
    const { monitor, next } = startMonitor({ devicePatterns: () => [dev.pattern], reconcileMs: NEVER })
    const ready = next('ready')
    await monitor.start()
    // A broker that only holds the device open does not make the camera on (docs/architecture.md, "From the operating system to what you see").
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
    const unavailable: FileWatcherFactory = () =>
      Promise.reject(new Error('inotify_add_watch: the limit of inotify watches is reached'))
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
