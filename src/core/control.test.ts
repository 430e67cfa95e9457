// The control socket `camguard remind/snooze` use to reach a running `camguard watch`.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createConnection } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import {
  controlPipe,
  controlPlace,
  controlSocket,
  sendControl,
  startControlServer,
  type ControlRequest,
} from './control.js'

// Without a runtime folder (as under this test runner): the socket lives in the data directory.
const NO_RUNTIME = { env: {} }
const controlPath = (dir: string) => controlSocket(dir, NO_RUNTIME)!

const dirs: string[] = []
const closers: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'camguard-control-'))
  dirs.push(d)
  return d
}

async function serve(dir: string) {
  const seen: ControlRequest[] = []
  const server = await startControlServer(
    dir,
    (req) => {
      seen.push(req)
      return { ok: true, message: `got ${req.cmd}`, data: req }
    },
    NO_RUNTIME,
  )
  closers.push(server)
  return { seen, server }
}

/** Sends raw text and returns the raw answer. */
function raw(dir: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(controlPath(dir))
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(text))
    socket.on('data', (d: string) => (answer += d))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
  })
}

describe.skipIf(process.platform === 'win32')('control socket', () => {
  it('carries remind, snooze, pause, resume and status requests to the monitor and its answers back', async () => {
    const dir = tempDir()
    const { seen } = await serve(dir)
    const requests: ControlRequest[] = [
      { cmd: 'remind', minutes: 5 },
      { cmd: 'snooze', minutes: 10 },
      { cmd: 'snooze', minutes: null },
      { cmd: 'pause', minutes: 30 },
      { cmd: 'resume' },
      { cmd: 'status' },
    ]
    for (const req of requests) {
      expect(await sendControl(dir, req, 3000, NO_RUNTIME)).toEqual({
        ok: true,
        message: `got ${req.cmd}`,
        data: req,
      })
    }
    expect(seen).toEqual(requests)
  })

  it('is readable and writable by the user only', async () => {
    const dir = tempDir()
    await serve(dir)
    expect(statSync(controlPath(dir)).mode & 0o777).toBe(0o600)
  })

  it('answers null when no monitor is listening, also after it closed', async () => {
    const dir = tempDir()
    expect(await sendControl(dir, { cmd: 'status' }, 3000, NO_RUNTIME)).toBeNull()
    const { server } = await serve(dir)
    closers.pop()
    await server.close()
    expect(existsSync(join(dir, 'run', 'control.sock'))).toBe(false)
    expect(await sendControl(dir, { cmd: 'status' }, 3000, NO_RUNTIME)).toBeNull()
  })

  it('answers null for a socket left behind by a monitor that crashed, and a new monitor can listen there', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'run'), { mode: 0o700 })
    writeFileSync(join(dir, 'run', 'control.sock'), '') // a leftover file where the socket was
    expect(await sendControl(dir, { cmd: 'status' }, 3000, NO_RUNTIME)).toBeNull()
    await serve(dir)
    expect(await sendControl(dir, { cmd: 'status' }, 3000, NO_RUNTIME)).toMatchObject({ ok: true })
  })

  it('refuses requests it does not know and values out of range, without calling the monitor', async () => {
    const dir = tempDir()
    const { seen } = await serve(dir)
    expect(JSON.parse(await raw(dir, '{"cmd":"format-disk"}\n'))).toEqual({
      ok: false,
      message: 'unknown request',
    })
    expect(JSON.parse(await raw(dir, '{"cmd":"remind","minutes":-1}\n'))).toMatchObject({ ok: false })
    expect(JSON.parse(await raw(dir, '{"cmd":"remind","minutes":99999}\n'))).toMatchObject({ ok: false })
    expect(JSON.parse(await raw(dir, 'not json\n'))).toEqual({ ok: false, message: 'unreadable request' })
    expect(seen).toEqual([])
  })

  it('drops a client that sends too much without a newline', async () => {
    const dir = tempDir()
    const { seen } = await serve(dir)
    expect(await raw(dir, 'x'.repeat(10_000))).toBe('')
    expect(seen).toEqual([])
  })

  it('passes on a failure the monitor reports', async () => {
    const dir = tempDir()
    closers.push(
      await startControlServer(
        dir,
        () => ({ ok: false, message: 'The camera is off, so there is nothing to remind you about.' }),
        NO_RUNTIME,
      ),
    )
    expect(await sendControl(dir, { cmd: 'remind', minutes: 5 }, 3000, NO_RUNTIME)).toEqual({
      ok: false,
      message: 'The camera is off, so there is nothing to remind you about.',
    })
  })

  it('lives in a folder of its own with mode 0700: in the data directory, or the runtime folder where set', async () => {
    const dir = tempDir()
    await serve(dir)
    expect(controlPath(dir)).toBe(join(dir, 'run', 'control.sock'))
    expect(statSync(join(dir, 'run')).mode & 0o777).toBe(0o700)

    const runtime = tempDir()
    const env = { XDG_RUNTIME_DIR: runtime }
    closers.push(
      await startControlServer(dir, () => ({ ok: true, message: 'from the runtime folder' }), { env }),
    )
    const socket = controlSocket(dir, { env })!
    expect(socket.startsWith(join(runtime, 'camguard') + '/')).toBe(true)
    expect(statSync(join(runtime, 'camguard')).mode & 0o777).toBe(0o700)
    expect(await sendControl(dir, { cmd: 'status' }, 3000, { env })).toMatchObject({
      message: 'from the runtime folder',
    })
    // One socket per data directory.
    expect(controlSocket(dir + '-other', { env })).not.toBe(socket)
  })

  it('when the data directory path is too long for a socket: a random private folder, never a predictable name', async () => {
    const dir = join(tempDir(), 'a'.repeat(60), 'b'.repeat(60))
    const first = await startControlServer(dir, () => ({ ok: true, message: 'long' }), NO_RUNTIME)
    const socket = controlPath(dir)
    expect(socket.startsWith(tmpdir())).toBe(true)
    expect(Buffer.byteLength(socket)).toBeLessThan(100)
    const folder = join(socket, '..')
    expect(statSync(folder).mode & 0o777).toBe(0o700)
    expect(await sendControl(dir, { cmd: 'status' }, 3000, NO_RUNTIME)).toMatchObject({ message: 'long' })
    await first.close()
    expect(existsSync(folder)).toBe(false) // removed with the socket
    const second = await startControlServer(dir, () => ({ ok: true, message: 'long' }), NO_RUNTIME)
    closers.push(second)
    expect(controlPath(dir)).not.toBe(socket) // a new random name each time
    // A pointer that names a folder others can open is not followed.
    const pointer = controlPlace(dir, NO_RUNTIME)
    expect(pointer.kind === 'unix' && pointer.pointer).toBeTruthy()
    chmodSync(join(controlPath(dir), '..'), 0o755)
    expect(controlSocket(dir, NO_RUNTIME)).toBeNull()
  })

  it('refuses, and says so, a control folder that others can open, a link, or one of another user', async () => {
    for (const spoil of [
      (run: string) => mkdirSync(run, { mode: 0o755 }),
      (run: string) => symlinkSync(tempDir(), run),
    ]) {
      const dir = tempDir()
      const run = join(dir, 'run')
      spoil(run)
      await expect(startControlServer(dir, () => ({ ok: true, message: '' }), NO_RUNTIME)).rejects.toThrow(
        /CamGuard will not use .*run for its control socket: (other users can open it|it is a symbolic link)/,
      )
      expect(await sendControl(dir, { cmd: 'status' }, 3000, NO_RUNTIME)).toMatchObject({
        ok: false,
        message: expect.stringMatching(/^CamGuard will not use /),
      })
    }
    const dir = tempDir()
    mkdirSync(join(dir, 'run'), { mode: 0o700 })
    const other = (process.getuid?.() ?? 0) + 1
    await expect(
      startControlServer(dir, () => ({ ok: true, message: '' }), { env: {}, uid: other }),
    ).rejects.toThrow(/belongs to another user/)
  })

  it('on Windows, names the pipe from a secret only the user can read, not from the data directory alone', () => {
    const dir = tempDir()
    expect(controlPipe(dir)).toBeNull() // no secret yet: no monitor has started
    writeFileSync(join(dir, 'control.key'), 'k'.repeat(64), { mode: 0o600 })
    const name = controlPipe(dir)!
    expect(name).toMatch(/^\\\\\.\\pipe\\camguard-[0-9a-f]{32}$/)
    writeFileSync(join(dir, 'control.key'), 'j'.repeat(64))
    expect(controlPipe(dir)).not.toBe(name) // another user's secret, another name
    expect(readFileSync(join(dir, 'control.key'), 'utf8')).toHaveLength(64)
  })
})
