import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PYTHON } from '../../../tests/support/processes.js'
import { spawnLines } from '../camera/spawn-lines.js'
import { systemClock } from '../ports.js'
import { execRunner } from '../runner.js'
import { createLinuxMicDetector } from './linux.js'
import { pipewireSocket } from './pipewire-server.js'
import { PipeWireWatch } from './pipewire-watch.js'

// The real pw-dump against sockets that are not a working PipeWire: what CamGuard says when the
// server cannot be read. (A real PipeWire is in tests/integration/mic-pipewire.test.ts.)

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

/** A socket that accepts connections and hangs up at once: a server is there, but says nothing. */
async function hangingUpSocket(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'camguard-run-')), 'pipewire-0')
  const server: Server = createServer((c) => c.destroy())
  await new Promise<void>((r) => server.listen(path, r))
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())))
  return path
}

/** A socket file nobody listens on any more: what a killed server leaves behind. */
function staleSocket(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'camguard-run-')), 'pipewire-0')
  execFileSync(PYTHON, ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', path])
  return path
}

function watch(socket: string | null, program = 'pw-dump') {
  let changes = 0
  let spawned = 0
  const w = new PipeWireWatch({
    socket,
    program,
    runner: execRunner,
    spawnLines: (...args) => {
      spawned++
      return spawnLines(...args)
    },
    clock: systemClock,
    onChange: () => changes++,
  })
  cleanups.push(() => w.stop())
  return {
    w,
    get changes() {
      return changes
    },
    get spawned() {
      return spawned
    },
  }
}

describe('PipeWireWatch when the server cannot be read', () => {
  it('finds no server where there is no socket, or only one left behind', async () => {
    expect(await watch(null).w.read(false)).toEqual({ kind: 'absent' })
    expect(await watch('/nonexistent/pipewire-0').w.read(true)).toEqual({ kind: 'absent' })
    expect(await watch(staleSocket()).w.read(false)).toEqual({ kind: 'absent' })
  })

  it('says it cannot tell when a server answers but pw-dump cannot read it', async () => {
    const socket = await hangingUpSocket()
    const once = await watch(socket).w.read(false)
    expect(once).toMatchObject({ kind: 'error', error: expect.stringMatching(/PipeWire could not be read/) })

    const t = watch(socket)
    const first = await t.w.read(true)
    expect(first).toMatchObject({ kind: 'error' })
    expect(t.spawned).toBe(1)
    // Tried again after a pause, not on every check.
    await t.w.read(true)
    expect(t.spawned).toBe(1)
    expect(t.changes).toBe(1)
  })

  it('warns once pw-dump turns out not to be installed', async () => {
    const socket = await hangingUpSocket()
    for (const keep of [false, true]) {
      const r = await watch(socket, 'camguard-test-no-such-pw-dump').w.read(keep)
      expect(r).toMatchObject({ kind: 'no-tool', warning: expect.stringMatching(/pw-dump is not installed/) })
    }
  })

  it('makes the microphone unknown, never off, when nothing else says it is on', async () => {
    const socket = await hangingUpSocket()
    const d = createLinuxMicDetector({
      devicePatterns: () => ['/nonexistent/pcmC*D*c'],
      env: { XDG_RUNTIME_DIR: join(socket, '..') },
      runner: execRunner,
    })
    cleanups.push(() => d.close())
    const s = await d.snapshot()
    expect(s.state).toBe('unknown')
    expect(s.error).toMatch(/PipeWire could not be read/)
  })
})

describe('pipewireSocket', () => {
  it('finds the socket the way libpipewire does', () => {
    expect(pipewireSocket({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/pipewire-0')
    expect(pipewireSocket({ XDG_RUNTIME_DIR: '/run/user/1000', PIPEWIRE_RUNTIME_DIR: '/run/pw' })).toBe(
      '/run/pw/pipewire-0',
    )
    expect(pipewireSocket({ XDG_RUNTIME_DIR: '/r', PIPEWIRE_REMOTE: 'other' })).toBe('/r/other')
    expect(pipewireSocket({ PIPEWIRE_REMOTE: '/abs/sock' })).toBe('/abs/sock')
    expect(pipewireSocket({})).toBeNull()
    expect(pipewireSocket({ XDG_RUNTIME_DIR: 'relative' })).toBeNull()
  })
})
