import { describe, expect, it } from 'vitest'
import type { Clock } from '../core/ports.js'
import { startAwayMonitor } from './away.js'

function fakeClock() {
  let now = 0
  let timers: { at: number; fn: () => void; id: number }[] = []
  let next = 1
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn, id: next++ }
      timers.push(t)
      return t.id
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id)
    },
  }
  const advance = (ms: number) => {
    const end = now + ms
    for (;;) {
      const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0]
      if (!due) break
      timers = timers.filter((t) => t !== due)
      now = due.at
      due.fn()
    }
    now = end
  }
  return { clock, advance, pending: () => timers.length }
}

function fakePowerMonitor() {
  let idle = 0
  const listeners = new Map<string, Set<() => void>>()
  return {
    setIdle: (s: number) => (idle = s),
    emit: (e: string) => listeners.get(e)?.forEach((f) => f()),
    count: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
    pm: {
      getSystemIdleTime: () => idle,
      on: (e: string, f: () => void) => listeners.set(e, (listeners.get(e) ?? new Set()).add(f)),
      removeListener: (e: string, f: () => void) => listeners.get(e)?.delete(f),
    },
  }
}

describe('user away', () => {
  it('reports away after awayMinutes idle, polled every 30 s, and back when active', () => {
    const { clock, advance } = fakeClock()
    const p = fakePowerMonitor()
    const seen: boolean[] = []
    startAwayMonitor({ powerMonitor: p.pm, clock, awayMinutes: () => 5, setUserAway: (a) => seen.push(a) })
    expect(seen).toEqual([false])
    p.setIdle(299)
    advance(30_000)
    expect(seen).toEqual([false])
    p.setIdle(300)
    advance(29_999)
    expect(seen).toEqual([false])
    advance(1)
    expect(seen).toEqual([false, true])
    advance(60_000) // no repeats while nothing changes
    p.setIdle(2)
    advance(30_000)
    expect(seen).toEqual([false, true, false])
  })

  it('treats a locked screen as away at once, whatever the idle time', () => {
    const { clock, advance } = fakeClock()
    const p = fakePowerMonitor()
    const seen: boolean[] = []
    startAwayMonitor({ powerMonitor: p.pm, clock, awayMinutes: () => 5, setUserAway: (a) => seen.push(a) })
    p.emit('lock-screen')
    expect(seen).toEqual([false, true])
    advance(30_000)
    expect(seen).toEqual([false, true])
    p.emit('unlock-screen')
    expect(seen).toEqual([false, true, false])
  })

  it('follows a changed awayMinutes on the next check', () => {
    const { clock, advance } = fakeClock()
    const p = fakePowerMonitor()
    let minutes = 5
    const seen: boolean[] = []
    startAwayMonitor({
      powerMonitor: p.pm,
      clock,
      awayMinutes: () => minutes,
      setUserAway: (a) => seen.push(a),
    })
    p.setIdle(120)
    minutes = 1
    advance(30_000)
    expect(seen).toEqual([false, true])
  })

  it('stops polling and listening', () => {
    const { clock, advance, pending } = fakeClock()
    const p = fakePowerMonitor()
    const seen: boolean[] = []
    const m = startAwayMonitor({
      powerMonitor: p.pm,
      clock,
      awayMinutes: () => 5,
      setUserAway: (a) => seen.push(a),
    })
    m.stop()
    expect(pending()).toBe(0)
    expect(p.count()).toBe(0)
    p.emit('lock-screen')
    p.setIdle(1000)
    advance(60_000)
    expect(seen).toEqual([false])
  })
})
