// The control socket `camguard remind/snooze` use to reach a running `camguard watch`.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createConnection } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { controlPath, sendControl, startControlServer, type ControlRequest } from './control.js'

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
  const server = await startControlServer(dir, (req) => {
    seen.push(req)
    return { ok: true, message: `got ${req.cmd}`, data: req }
  })
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
      expect(await sendControl(dir, req)).toEqual({ ok: true, message: `got ${req.cmd}`, data: req })
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
    expect(await sendControl(dir, { cmd: 'status' })).toBeNull()
    const { server } = await serve(dir)
    closers.pop()
    await server.close()
    expect(existsSync(controlPath(dir))).toBe(false)
    expect(await sendControl(dir, { cmd: 'status' })).toBeNull()
  })

  it('answers null for a socket left behind by a monitor that crashed, and a new monitor can listen there', async () => {
    const dir = tempDir()
    writeFileSync(controlPath(dir), '') // a leftover file where the socket was
    expect(await sendControl(dir, { cmd: 'status' })).toBeNull()
    await serve(dir)
    expect(await sendControl(dir, { cmd: 'status' })).toMatchObject({ ok: true })
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
      await startControlServer(dir, () => ({
        ok: false,
        message: 'The camera is off, so there is nothing to remind you about.',
      })),
    )
    expect(await sendControl(dir, { cmd: 'remind', minutes: 5 })).toEqual({
      ok: false,
      message: 'The camera is off, so there is nothing to remind you about.',
    })
  })

  it('uses a short path in the temp folder when the data directory path is too long for a socket', async () => {
    const dir = join(tempDir(), 'a'.repeat(60), 'b'.repeat(60))
    const path = controlPath(dir)
    expect(path.startsWith(tmpdir())).toBe(true)
    expect(controlPath(dir)).toBe(path) // the same for every process
    expect(controlPath(dir + 'x')).not.toBe(path)
  })

  it('names a pipe on Windows', () => {
    expect(controlPath('C:\\Users\\a\\AppData\\Roaming\\CamGuard', 'win32')).toMatch(
      /^\\\\\.\\pipe\\camguard-[0-9a-f]{16}$/,
    )
  })
})
