// Where the PipeWire server listens, and whether one is there: a socket file that exists and
// accepts a connection. Nothing is spawned to find out.
import { statSync } from 'node:fs'
import { connect } from 'node:net'
import { isAbsolute, join } from 'node:path'

/** The server's socket, as libpipewire finds it (PIPEWIRE_REMOTE, PIPEWIRE_RUNTIME_DIR, XDG_RUNTIME_DIR). */
export function pipewireSocket(env: NodeJS.ProcessEnv): string | null {
  const name = env.PIPEWIRE_REMOTE?.trim() || 'pipewire-0'
  if (isAbsolute(name)) return name
  const dir = env.PIPEWIRE_RUNTIME_DIR || env.XDG_RUNTIME_DIR
  return dir && isAbsolute(dir) ? join(dir, name) : null
}

/** Whether the socket file is there (a cheap stat; the server removes it when it exits). */
export function socketPresent(path: string | null): boolean {
  if (!path) return false
  try {
    return statSync(path).isSocket()
  } catch {
    return false
  }
}

/**
 * Whether a server accepts connections on the socket. A socket left behind by a server that was
 * killed refuses them: then there is no server, and nobody records through it.
 */
export function socketAnswers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path)
    const done = (answer: boolean) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(answer)
    }
    // A server too busy to accept within the time is still a server.
    const timer = setTimeout(() => done(true), timeoutMs)
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}
