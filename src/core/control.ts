import { createHash } from 'node:crypto'
import { chmodSync, rmSync } from 'node:fs'
import { createConnection, createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { errorCode } from './files.js'
import type { Engine } from './ports.js'

// `camguard remind 10` and `camguard snooze 30` reach the running `camguard watch` through a
// socket in the data directory (a named pipe on Windows), readable by the user only.

export const controlRequestSchema = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('remind'), minutes: z.number().positive().max(1440) }),
  z.object({ cmd: z.literal('snooze'), minutes: z.number().positive().max(1440).nullable() }),
  z.object({ cmd: z.literal('pause'), minutes: z.number().positive().max(1440) }),
  z.object({ cmd: z.literal('resume') }),
  z.object({ cmd: z.literal('status') }),
])
export type ControlRequest = z.infer<typeof controlRequestSchema>
export type ControlReply = { ok: boolean; message: string; data?: unknown }

export function controlPath(dir: string, platform: NodeJS.Platform = process.platform): string {
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 16)
  if (platform === 'win32') return `\\\\.\\pipe\\camguard-${hash}`
  const path = join(dir, 'control.sock')
  // Unix socket paths are limited to about 104 bytes.
  return Buffer.byteLength(path) < 100 ? path : join(tmpdir(), `camguard-${hash}.sock`)
}

export async function startControlServer(
  dir: string,
  handle: (request: ControlRequest) => ControlReply | Promise<ControlReply>,
): Promise<{ close(): Promise<void> }> {
  const path = controlPath(dir)
  if (process.platform !== 'win32') rmSync(path, { force: true }) // left by a crashed monitor; we hold the lock
  const server: Server = createServer((socket) => {
    let buffer = ''
    socket.setEncoding('utf8')
    socket.setTimeout(5000, () => socket.destroy())
    socket.on('error', () => undefined)
    socket.on('data', async (chunk: string) => {
      buffer += chunk
      if (buffer.length > 4096) return socket.destroy()
      const nl = buffer.indexOf('\n')
      if (nl < 0) return
      let reply: ControlReply
      try {
        const parsed = controlRequestSchema.safeParse(JSON.parse(buffer.slice(0, nl)))
        reply = parsed.success ? await handle(parsed.data) : { ok: false, message: 'unknown request' }
      } catch {
        reply = { ok: false, message: 'unreadable request' }
      }
      socket.end(JSON.stringify(reply) + '\n')
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => resolve())
  })
  if (process.platform !== 'win32') chmodSync(path, 0o600)
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        if (process.platform !== 'win32') rmSync(path, { force: true })
      }),
  }
}

/** Sends one request to the running monitor; null when none is listening. */
export function sendControl(
  dir: string,
  request: ControlRequest,
  timeoutMs = 3000,
): Promise<ControlReply | null> {
  return new Promise((resolve) => {
    const socket = createConnection(controlPath(dir))
    let buffer = ''
    const done = (value: ControlReply | null) => {
      socket.destroy()
      resolve(value)
    }
    socket.setEncoding('utf8')
    socket.setTimeout(timeoutMs, () => done({ ok: false, message: 'the monitor did not answer in time' }))
    socket.on('connect', () => socket.write(JSON.stringify(request) + '\n'))
    socket.on('data', (chunk: string) => {
      buffer += chunk
      const nl = buffer.indexOf('\n')
      if (nl >= 0) {
        try {
          done(JSON.parse(buffer.slice(0, nl)) as ControlReply)
        } catch {
          done({ ok: false, message: 'the monitor gave an unreadable answer' })
        }
      }
    })
    socket.on('error', (err) => {
      const code = errorCode(err)
      done(code === 'ENOENT' || code === 'ECONNREFUSED' ? null : { ok: false, message: err.message })
    })
  })
}

/** What the running monitor (camguard watch, or the app) answers to remind/snooze/pause/resume. */
export function engineControlHandler(engine: Engine): (request: ControlRequest) => ControlReply {
  return (req) => {
    switch (req.cmd) {
      case 'remind': {
        const s = engine.remindIn(req.minutes)
        return s.remindAt
          ? {
              ok: true,
              message: `CamGuard will remind you at ${new Date(s.remindAt).toLocaleTimeString()} if the camera is still on.`,
            }
          : { ok: false, message: 'The camera is off, so there is nothing to remind you about.' }
      }
      case 'snooze':
        engine.snooze(req.minutes)
        if (req.minutes === null && engine.snapshot()?.state !== 'on') {
          return { ok: true, message: 'The camera is off, so there are no reminders to snooze.' }
        }
        return {
          ok: true,
          message:
            req.minutes === null
              ? 'Reminders are snoozed until the camera goes off.'
              : `Reminders are snoozed for ${req.minutes} minutes.`,
        }
      case 'pause':
        engine.pauseAlerts(req.minutes)
        return { ok: true, message: `Alerts are paused for ${req.minutes} minutes.` }
      case 'resume':
        engine.resumeAlerts()
        return { ok: true, message: 'Alerts are on again.' }
      case 'status':
        return { ok: true, message: 'ok', data: engine.status() }
    }
  }
}
