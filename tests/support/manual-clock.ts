import type { Clock } from '../../src/core/ports.js'

/** A clock the test moves by hand; timers fire in order as time passes. */
export class ManualClock implements Clock {
  private t: number
  private seq = 0
  private timers = new Map<number, { at: number; fn: () => void }>()

  constructor(start = Date.parse('2026-11-28T12:00:00Z')) {
    this.t = start
  }

  now(): number {
    return this.t
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }

  get pending(): number {
    return this.timers.size
  }

  /** Moves time forward, firing due timers (and letting their async work settle). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms
    for (;;) {
      const next = [...this.timers.entries()]
        .filter(([, v]) => v.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0]
      if (!next) break
      this.timers.delete(next[0])
      this.t = next[1].at
      next[1].fn()
      await flush()
    }
    this.t = end
    await flush()
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r))
}
