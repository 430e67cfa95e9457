import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection, createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { z } from 'zod'
import { FILE_MODE, ensureDir, errorCode, errorMessage, writeFileAtomic } from './files.js'
import type { StatusView } from '../shared/ipc.js'
import type { Engine } from './ports.js'
import { clockTime, formatDuration } from '../shared/words.js'

const MINUTE = 60_000

// `camguard remind 10` and `camguard snooze 30` reach the running monitor (`camguard watch` or the
// app) through a Unix socket in a folder only the user can open, or on Windows a named pipe whose
// name comes from a secret only the user can read. Another local user can neither take the name
// first nor answer in the monitor's place.

export const controlRequestSchema = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('remind'), minutes: z.number().positive().max(1440) }),
  z.object({ cmd: z.literal('snooze'), minutes: z.number().positive().max(1440).nullable() }),
  z.object({ cmd: z.literal('pause'), minutes: z.number().positive().max(1440) }),
  z.object({ cmd: z.literal('resume') }),
  z.object({ cmd: z.literal('status') }),
])
export type ControlRequest = z.infer<typeof controlRequestSchema>
export type ControlReply = { ok: boolean; message: string; data?: unknown }

/** Where the control channel lives for one data directory. */
export type ControlPlace =
  | {
      kind: 'unix'
      /** The private folder (mode 0700, the user's) that holds the socket or says where it is. */
      dir: string
      /** The socket, when its path is short enough to be in dir. */
      socket: string | null
      /** When it is not: the file in dir that names the random private folder holding it. */
      pointer: string | null
    }
  | { kind: 'pipe'; keyFile: string }

export interface ControlOptions {
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  /** The user CamGuard runs as (process.getuid()); folders must be theirs. */
  uid?: number | null
}

/** Unix socket paths are limited to 104 bytes on macOS (108 on Linux), the final NUL included. */
const SOCKET_PATH_MAX = 100
const SOCKET = 'control.sock'

const hash = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length)

/**
 * $XDG_RUNTIME_DIR/camguard (one socket per data directory) where the session has a runtime folder,
 * else a `run` folder inside the data directory. Never a name in a shared folder anyone could take.
 */
export function controlPlace(dataDir: string, options: ControlOptions = {}): ControlPlace {
  const env = options.env ?? process.env
  if ((options.platform ?? process.platform) === 'win32')
    return { kind: 'pipe', keyFile: join(dataDir, 'control.key') }
  const runtime = env.XDG_RUNTIME_DIR
  const [dir, name] =
    runtime && isAbsolute(runtime)
      ? [join(runtime, 'camguard'), `${hash(dataDir, 16)}.sock`]
      : [join(dataDir, 'run'), SOCKET]
  const socket = join(dir, name)
  return Buffer.byteLength(socket) < SOCKET_PATH_MAX
    ? { kind: 'unix', dir, socket, pointer: null }
    : { kind: 'unix', dir, socket: null, pointer: join(dir, `${name}.where`) }
}

/** Why a folder must not hold the control socket, or null when it is private to the user. */
export function privateDirProblem(dir: string, uid: number | null): string | null {
  const st = lstatSync(dir)
  if (st.isSymbolicLink()) return 'it is a symbolic link'
  if (!st.isDirectory()) return 'it is not a folder'
  if (uid !== null && st.uid !== uid) return `it belongs to another user (uid ${st.uid})`
  if ((st.mode & 0o077) !== 0)
    return `other users can open it (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`
  return null
}

function refusal(dir: string, problem: string): string {
  return `CamGuard will not use ${dir} for its control socket: ${problem}, so another user could reach it. Remove that folder (CamGuard makes a private one) or make it yours with mode 0700.`
}

const currentUid = (options: ControlOptions) =>
  options.uid === undefined ? (process.getuid?.() ?? null) : options.uid

/** Makes (or checks) a private folder; throws with what to do when it is not private. */
function ensurePrivateDir(dir: string, uid: number | null): void {
  try {
    mkdirSync(dir, { mode: 0o700 })
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err
  }
  const problem = privateDirProblem(dir, uid)
  if (problem) throw new Error(refusal(dir, problem))
}

/** The random private folder a pointer names, if it is still there and private. */
function pointedDir(pointer: string, uid: number | null): string | null {
  let dir: string
  try {
    dir = readFileSync(pointer, 'utf8').trim()
  } catch {
    return null
  }
  if (!isAbsolute(dir)) return null
  try {
    return privateDirProblem(dir, uid) === null ? dir : null
  } catch {
    return null
  }
}

/** The socket a client should connect to now, or null when no monitor has set one up. */
export function controlSocket(dataDir: string, options: ControlOptions = {}): string | null {
  const place = controlPlace(dataDir, options)
  if (place.kind !== 'unix') return null
  if (place.socket) return place.socket
  const dir = pointedDir(place.pointer!, currentUid(options))
  return dir ? join(dir, SOCKET) : null
}

/** Windows: the user's secret (made once, kept 0600 in the data directory) and the pipe named from it. */
function pipeName(keyFile: string, dataDir: string, create: boolean): string | null {
  let key: string
  try {
    key = readFileSync(keyFile, 'utf8').trim()
  } catch (err) {
    if (!create || errorCode(err) !== 'ENOENT') return null
    key = randomBytes(32).toString('hex')
    ensureDir(dataDir)
    writeFileSync(keyFile, key, { mode: FILE_MODE, flag: 'wx' })
  }
  if (key.length < 32) return null
  return `\\\\.\\pipe\\camguard-${hash(`${key}\n${dataDir}`, 32)}`
}

/** The pipe name for a data directory (Windows), from its key file; null when there is none yet. */
export function controlPipe(dataDir: string, options: ControlOptions = {}): string | null {
  const place = controlPlace(dataDir, { ...options, platform: 'win32' })
  return place.kind === 'pipe' ? pipeName(place.keyFile, dataDir, false) : null
}

/** Where the server listens: checked and made private first; undo() removes what it made. */
function prepareListen(dataDir: string, options: ControlOptions): { path: string; undo: () => void } {
  const place = controlPlace(dataDir, options)
  if (place.kind === 'pipe') return { path: pipeName(place.keyFile, dataDir, true)!, undo: () => undefined }
  const uid = currentUid(options)
  if (place.dir.startsWith(dataDir)) ensureDir(dataDir)
  ensurePrivateDir(place.dir, uid)
  if (place.socket) {
    // Left by a monitor that crashed; we hold the monitor lock, so it is not in use.
    rmSync(place.socket, { force: true })
    const socket = place.socket
    return { path: socket, undo: () => rmSync(socket, { force: true }) }
  }
  // The path would be too long: a folder with a random name in the temp folder, made private by
  // mkdtemp, and a pointer to it inside the private folder.
  const old = pointedDir(place.pointer!, uid)
  if (old) rmSync(old, { recursive: true, force: true })
  const dir = mkdtempSync(join(tmpdir(), 'camguard-'))
  writeFileAtomic(place.pointer!, dir)
  const pointer = place.pointer!
  return {
    path: join(dir, SOCKET),
    undo: () => {
      rmSync(dir, { recursive: true, force: true })
      rmSync(pointer, { force: true })
    },
  }
}

export async function startControlServer(
  dataDir: string,
  handle: (request: ControlRequest) => ControlReply | Promise<ControlReply>,
  options: ControlOptions = {},
): Promise<{ close(): Promise<void> }> {
  const { path, undo } = prepareListen(dataDir, options)
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
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => resolve())
    })
    if (!path.startsWith('\\\\')) chmodSync(path, 0o600)
  } catch (err) {
    undo()
    throw new Error(`the control socket could not start at ${path}: ${errorMessage(err)}`)
  }
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        undo()
      }),
  }
}

/** Sends one request to the running monitor; null when none is listening. */
export function sendControl(
  dataDir: string,
  request: ControlRequest,
  timeoutMs = 3000,
  options: ControlOptions = {},
): Promise<ControlReply | null> {
  const place = controlPlace(dataDir, options)
  let path: string | null
  if (place.kind === 'pipe') path = pipeName(place.keyFile, dataDir, false)
  else {
    // The folder is checked before each use: a socket in a folder others can open is not ours to trust.
    try {
      const problem = privateDirProblem(place.dir, currentUid(options))
      if (problem) return Promise.resolve({ ok: false, message: refusal(place.dir, problem) })
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return Promise.resolve(null)
      return Promise.resolve({ ok: false, message: errorMessage(err) })
    }
    path = controlSocket(dataDir, options)
  }
  if (path === null) return Promise.resolve(null)
  const target = path
  return new Promise((resolve) => {
    const socket = createConnection(target)
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

/** "camera", "microphone", or "camera or microphone": what a reminder is about. */
function devicesOn(s: StatusView): string {
  const camera = s.snapshot.state === 'on'
  const mic = s.snapshot.microphone?.state === 'on'
  return camera && mic ? 'camera or microphone' : mic ? 'microphone' : 'camera'
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
              message: `CamGuard will remind you in ${formatDuration(req.minutes * MINUTE)} (at ${clockTime(s.remindAt)}) if the ${devicesOn(s)} is still on.`,
            }
          : { ok: false, message: 'The camera is off, so there is nothing to remind you about.' }
      }
      case 'snooze': {
        const s = engine.snooze(req.minutes)
        const on = s.snapshot.state === 'on' || s.snapshot.microphone?.state === 'on'
        if (req.minutes === null && !on) {
          return { ok: true, message: 'The camera is off, so there are no reminders to snooze.' }
        }
        return {
          ok: true,
          message:
            req.minutes === null
              ? `Reminders are snoozed until the ${devicesOn(s)} goes off.`
              : `Reminders are snoozed for ${formatDuration(req.minutes * MINUTE)}.`,
        }
      }
      case 'pause':
        engine.pauseAlerts(req.minutes)
        return { ok: true, message: `Alerts are paused for ${formatDuration(req.minutes * MINUTE)}.` }
      case 'resume':
        engine.resumeAlerts()
        return { ok: true, message: 'Alerts are on again.' }
      case 'status':
        return { ok: true, message: 'ok', data: engine.status() }
    }
  }
}
