// A session a test starts with a script (a notification server, a sound server): the script prints
// `READY <json>` once up, or `ERROR <why>`, and keeps the session until its stdin closes.
import { spawn, type ChildProcess } from 'node:child_process'
import { installCommand, onPath, readPackages } from '../../scripts/test-prereqs.mjs'

/** The programs of these packages (tests/system-packages.json) that are not installed, as "program (package)". */
export function missingPrograms(packages: readonly string[]): string[] {
  return readPackages()
    .filter((p) => packages.includes(p.package))
    .flatMap((p) =>
      p.programs
        .filter((program) => !onPath(program))
        .map((program) => `${program} (Debian package ${p.package})`),
    )
}

/** Throws, saying what to install, when a program of these packages is missing. */
export function requirePrograms(packages: readonly string[], what: string): void {
  const missing = missingPrograms(packages)
  if (missing.length === 0) return
  throw new Error(
    `${what}, but these programs are missing: ${missing.join(', ')}. ` +
      '`npm test` installs them when it runs as root; otherwise run ' +
      `\`${installCommand([...packages], false)}\`.`,
  )
}

export interface ScriptSession<T> {
  /** What the script printed after READY. */
  ready: T
  /** Closes the script's stdin, waits for it to end (10 s at most, then kills its group). */
  close(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Starts the script; rejects with what it printed when it fails or is not ready in time. */
export async function startSessionScript<T>(
  command: string,
  args: readonly string[],
  what: string,
  timeoutMs: number,
): Promise<ScriptSession<T>> {
  // A process group of its own, so that close() can end everything the session started.
  const child: ChildProcess = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))

  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  async function close(): Promise<void> {
    child.stdin!.end()
    const ended = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])
    if (!ended) {
      killGroup()
      await exited
    }
  }

  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup()
      reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${out}${err}`))
    }, timeoutMs)
    const check = () => {
      const ok = /^READY (.*)$/m.exec(out)
      const failed = /^ERROR (.*)$/m.exec(out)
      if (ok) {
        clearTimeout(timer)
        resolve(JSON.parse(ok[1]!) as T)
      } else if (failed) {
        clearTimeout(timer)
        reject(new Error(`${what} could not start: ${failed[1]}\n${err}`))
      }
    }
    child.stdout!.on('data', check)
    child.once('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      check()
      reject(new Error(`${what} ended (${code}) before it was ready:\n${out}${err}`))
    })
  }).catch(async (e: unknown) => {
    await close()
    throw e
  })
  return { ready, close }
}
