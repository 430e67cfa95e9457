// What the PipeWire server says about who records. While a monitor runs, one long-running
// `pw-dump --monitor` keeps the graph current (started only while a server is there, restarted
// if it dies); a one-off look (`camguard status`) runs `pw-dump` once.
import type { Clock, Runner } from '../ports.js'
import type { LineStream, SpawnLines, StreamExit } from '../camera/spawn-lines.js'
import { JsonValueSplitter } from './json-stream.js'
import { PipeWireGraph, graphFromDump } from './pipewire-graph.js'
import { socketAnswers, socketPresent } from './pipewire-server.js'

export type PipeWireRead =
  /** No server here: nobody records through PipeWire. */
  | { kind: 'absent' }
  | { kind: 'graph'; graph: PipeWireGraph }
  /** pw-dump is not installed: the server cannot be asked (a warning, not unknown). */
  | { kind: 'no-tool'; warning: string }
  /** A server is there but could not be read: whatever it carries is unknown. */
  | { kind: 'error'; error: string }

export interface PipeWireWatchOptions {
  /** The server's socket (pipewireSocket), or null when there is no runtime folder to look in. */
  socket: string | null
  program?: string
  runner: Runner
  spawnLines: SpawnLines
  clock: Clock
  /** Told when the graph changed or the monitor stopped, so the owner checks again. */
  onChange?: () => void
  /** How long the first dump may take. Default 5 s. */
  readyTimeoutMs?: number
}

const FIRST_RETRY_MS = 1000
const MAX_RETRY_MS = 30_000

const NO_TOOL =
  'pw-dump is not installed, so CamGuard cannot ask PipeWire which app records; it sees only the sound server holding the microphone (install pipewire-bin).'

export class PipeWireWatch {
  private readonly program: string
  private stream: LineStream | null = null
  private graph: PipeWireGraph | null = null
  /** Resolves once the running monitor printed its first dump (true) or stopped first (false). */
  private ready: Promise<boolean> | null = null
  private noTool = false
  private lastError: string | null = null
  private retryAt = 0
  private retryMs = FIRST_RETRY_MS
  private stopped = false
  private retryTimer: unknown = null

  constructor(private readonly o: PipeWireWatchOptions) {
    this.program = o.program ?? 'pw-dump'
  }

  /** Whether the long-running monitor is up with a graph. */
  get watching(): boolean {
    return this.graph !== null
  }

  /** What PipeWire says now. `keep`: keep a monitor running for later reads (a monitor's checks). */
  async read(keep: boolean): Promise<PipeWireRead> {
    const socket = this.o.socket
    if (!socketPresent(socket)) {
      this.stopMonitor()
      this.retryMs = FIRST_RETRY_MS
      return { kind: 'absent' }
    }
    if (this.noTool) return { kind: 'no-tool', warning: NO_TOOL }
    if (!keep) return this.readOnce(socket!)
    if (this.graph) return { kind: 'graph', graph: this.graph }
    if (!this.ready && !this.stopped && this.o.clock.now() >= this.retryAt) this.startMonitor(socket!)
    if (this.ready) {
      if ((await this.waitReady(this.ready)) && this.graph) return { kind: 'graph', graph: this.graph }
      if (this.stream && !this.graph) this.gaveUp('pw-dump gave no answer in time')
    }
    if (this.noTool) return { kind: 'no-tool', warning: NO_TOOL }
    // A socket left behind by a killed server refuses connections: no server, nobody recording.
    if (!(await socketAnswers(socket!))) return { kind: 'absent' }
    return { kind: 'error', error: `PipeWire could not be read (${this.lastError ?? 'no answer'})` }
  }

  private async readOnce(socket: string): Promise<PipeWireRead> {
    const r = await this.o.runner(this.program, ['-N', '-r', socket], { timeoutMs: 3000 })
    if (r.spawnError) {
      this.noTool = /ENOENT/.test(r.spawnError)
      return this.noTool
        ? { kind: 'no-tool', warning: NO_TOOL }
        : { kind: 'error', error: `PipeWire could not be read (pw-dump did not start: ${r.spawnError})` }
    }
    if (r.code !== 0) {
      if (!(await socketAnswers(socket))) return { kind: 'absent' }
      const why = r.timedOut ? 'it did not answer in time' : `exit ${String(r.code ?? r.signal)}`
      return { kind: 'error', error: `PipeWire could not be read (pw-dump failed: ${why})` }
    }
    const graph = graphFromDump(r.stdout)
    return graph
      ? { kind: 'graph', graph }
      : { kind: 'error', error: 'PipeWire could not be read (pw-dump printed no graph CamGuard could read)' }
  }

  private startMonitor(socket: string): void {
    const splitter = new JsonValueSplitter()
    const graph = new PipeWireGraph()
    let first = true
    let settle: (ok: boolean) => void = () => undefined
    this.ready = new Promise<boolean>((resolve) => (settle = resolve))
    const stream = this.o.spawnLines(
      this.program,
      ['--monitor', '-N', '-r', socket],
      (line) => {
        if (this.stream !== stream) return
        for (const value of splitter.push(line + '\n').values) {
          if (!graph.apply(value)) continue
          if (first) {
            // The first array is the whole graph; each one after it is what changed.
            first = false
            this.graph = graph
            this.retryMs = FIRST_RETRY_MS
            settle(true)
          }
          this.o.onChange?.()
        }
      },
      (exit) => {
        if (this.stream !== stream) return
        this.monitorEnded(exit)
        settle(false)
      },
    )
    this.stream = stream
  }

  private monitorEnded(exit: StreamExit): void {
    if (exit.error && /ENOENT/.test(exit.error)) this.noTool = true
    this.gaveUp(
      exit.error ??
        (exit.stderr.trim().split('\n').pop()?.slice(0, 200) ||
          `pw-dump stopped (${exit.signal ?? String(exit.code)})`),
    )
    if (!this.stopped) this.o.onChange?.()
  }

  /** The monitor is down: try again soon, then less and less often while it keeps failing. */
  private gaveUp(reason: string): void {
    this.stopMonitor()
    this.lastError = reason
    this.retryAt = this.o.clock.now() + this.retryMs
    // Ask for a check when the pause is over, so the monitor comes back without waiting for a timer.
    if (this.retryTimer !== null) this.o.clock.clearTimeout(this.retryTimer)
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = null
      if (!this.stopped) this.o.onChange?.()
    }, this.retryMs)
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS)
  }

  private waitReady(ready: Promise<boolean>): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.o.clock.setTimeout(() => resolve(false), this.o.readyTimeoutMs ?? 5000)
      void ready.then((ok) => {
        this.o.clock.clearTimeout(timer)
        resolve(ok)
      })
    })
  }

  private stopMonitor(): void {
    const stream = this.stream
    this.stream = null
    this.graph = null
    this.ready = null
    stream?.kill()
  }

  /** Ends the monitor until the next read that wants one (a monitor stopped watching). */
  release(): void {
    if (this.retryTimer !== null) this.o.clock.clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.retryAt = 0
    this.stopMonitor()
  }

  /** Ends the monitor for good. */
  stop(): void {
    this.stopped = true
    if (this.retryTimer !== null) this.o.clock.clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.stopMonitor()
  }
}
