// The Linux watch session's timing on a clock the test moves by hand: debounce, the follow-up
// look after an open, falling back to polling and trying again, and the re-read of holders.
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../tests/support/manual-clock.js'
import { makeDevice, startHolder, type Holder } from '../../../tests/support/processes.js'
import { expandDevicePatterns } from './devices.js'
import type { FileWatchHandlers, FileWatcherFactory } from './inotify.js'
import { FOLLOW_UP_MS, LinuxWatchSession, RETRY_MS } from './linux-watch.js'
import { ProcScanner } from './proc.js'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A factory whose watches the test drives: fire(events) plays an inotify event on the file watch. */
function scriptedFactory(fail: () => string | null = () => null) {
  const watches: { paths: readonly string[]; handlers: FileWatchHandlers; stopped: boolean }[] = []
  const factory: FileWatcherFactory = async (paths, _mask, handlers) => {
    const why = fail()
    if (why) throw new Error(why)
    const w = { paths, handlers, stopped: false }
    watches.push(w)
    return {
      stop: async () => {
        w.stopped = true
      },
    }
  }
  return { factory, watches }
}

function setup(factory: FileWatcherFactory) {
  const dev = makeDevice()
  cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
  const clock = new ManualClock()
  let changes = 0
  const session = new LinuxWatchSession({
    factory,
    clock,
    devicePatterns: () => [dev.pattern],
    procRoot: '/proc',
    onChange: () => changes++,
    holderPollMs: 500,
    debounceMs: 15,
  })
  cleanups.push(() => session.stop())
  return { dev, clock, session, changes: () => changes }
}

describe.runIf(process.platform === 'linux')('Linux watch session', () => {
  it('turns a burst of events into one check, and looks again shortly after an open', async () => {
    const { factory, watches } = scriptedFactory()
    const { clock, session, changes } = setup(factory)
    await session.start()
    expect(session.mode).toBe('event')
    const file = watches[0]!
    file.handlers.onEvent('/dev/video0', ['OPEN'])
    file.handlers.onEvent('/dev/video0', ['CLOSE_NOWRITE'])
    file.handlers.onEvent('/dev/video0', ['OPEN'])
    expect(changes()).toBe(0)
    await clock.advance(15)
    expect(changes()).toBe(1)
    await clock.advance(FOLLOW_UP_MS)
    expect(changes()).toBe(2) // the fd may be listed in /proc only after inotify said "open"
    await clock.advance(60_000)
    expect(changes()).toBe(2)
  })

  it('falls back to polling with the reason, and tries the watch again after a while', async () => {
    let refuse = true
    const { factory, watches } = scriptedFactory(() =>
      refuse ? 'the limit of inotify watches is reached' : null,
    )
    const { clock, session, changes, dev } = setup(factory)
    await session.start()
    expect(session.mode).toBe('poll')
    expect(session.fallback).toMatch(/limit of inotify watches/)
    expect(session.reason.why).toMatch(/inotify failed/)
    expect(changes()).toBe(1) // the monitor is told, to take up its poll interval

    refuse = false
    const devices = expandDevicePatterns([dev.pattern])
    session.after(devices, [])
    await clock.advance(0)
    expect(watches).toEqual([]) // too soon to try again
    await clock.advance(RETRY_MS)
    session.after(devices, [])
    await clock.advance(20)
    expect(watches.length).toBe(1)
    expect(session.mode).toBe('event')
    expect(session.fallback).toBeNull()
  })

  it('re-reads a holder on the clock and asks for a check once the holder lets go', async () => {
    const { factory } = scriptedFactory()
    const { clock, session, changes, dev } = setup(factory)
    await session.start()
    const holder: Holder = await startHolder(dev.device, 'map')
    cleanups.push(() => holder.stop())
    const devices = expandDevicePatterns([dev.pattern])
    const scanner = new ProcScanner()
    const held = scanner.scan(new Set(devices.map((d) => d.real))).holders.find((h) => h.pid === holder.pid)!
    session.after(devices, [{ pid: held.pid, fds: held.fds, mapped: new Set([devices[0]!.real]) }])

    await clock.advance(2000)
    expect(changes()).toBe(0) // still streaming: nothing changed

    await holder.stop()
    await clock.advance(500)
    expect(changes()).toBe(1)
    await clock.advance(5000)
    expect(changes()).toBe(1) // told once until the next snapshot

    session.after(devices, [])
    expect(clock.pending).toBe(0) // nobody holds the camera: no timer runs
  })

  it('tells a reconciliation (nothing reported since the last check) from a check events asked for', async () => {
    const { factory, watches } = scriptedFactory()
    const { clock, session } = setup(factory)
    await session.start()
    expect(session.takeQuiet()).toBe(false) // the first check after start looks at everything
    expect(session.takeQuiet()).toBe(true)
    watches[0]!.handlers.onEvent('/dev/video0', ['CLOSE_NOWRITE'])
    expect(session.takeQuiet()).toBe(false)
    expect(session.takeQuiet()).toBe(true)
    session.poke()
    await clock.advance(20)
    expect(session.takeQuiet()).toBe(false)
  })

  it('stops every timer and watch when stopped', async () => {
    const { factory, watches } = scriptedFactory()
    const { clock, session } = setup(factory)
    await session.start()
    watches[0]!.handlers.onEvent('/dev/video0', ['OPEN'])
    await session.stop()
    expect(clock.pending).toBe(0)
    expect(watches.every((w) => w.stopped)).toBe(true)
  })
})
