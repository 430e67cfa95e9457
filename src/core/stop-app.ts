import { readFileSync } from 'node:fs'
import type { StopAppResult } from '../shared/ipc.js'
import { errorCode } from './files.js'

export interface StopAppOptions {
  /** How long the app gets to close by itself before it is forced. */
  graceMs?: number
  procRoot?: string
  /** The uid CamGuard runs as (process.getuid()); only that user's processes are stopped. */
  uid?: number | null
  sleep?: (ms: number) => Promise<void>
  kill?: (pid: number, signal: NodeJS.Signals | 0) => void
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

function ownerUid(pid: number, procRoot: string): number | null {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`${procRoot}/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

function isZombie(pid: number, procRoot: string): boolean {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8')
    // The state follows the command name, which is in parentheses and may itself hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z'
  } catch {
    return false
  }
}

/**
 * Asks an app to close (SIGTERM) and forces it (SIGKILL) if it is still there after graceMs.
 * Only the current user's own processes; never init or CamGuard itself.
 */
export async function stopApp(pid: number, options: StopAppOptions = {}): Promise<StopAppResult> {
  const procRoot = options.procRoot ?? '/proc'
  const sleep = options.sleep ?? defaultSleep
  const kill = options.kill ?? ((p, s) => process.kill(p, s))
  const graceMs = options.graceMs ?? 3000
  const uid = options.uid === undefined ? (process.getuid?.() ?? null) : options.uid
  const refuse = (message: string): StopAppResult => ({ ok: false, pid, outcome: 'refused', message })

  if (!Number.isInteger(pid) || pid <= 1)
    return refuse(`Process ${pid} is part of the system and cannot be stopped.`)
  if (pid === process.pid) return refuse('CamGuard will not stop itself.')
  const alive = (): boolean => {
    try {
      kill(pid, 0)
    } catch (err) {
      if (errorCode(err) === 'ESRCH') return false
    }
    return !isZombie(pid, procRoot)
  }
  if (!alive()) return { ok: true, pid, outcome: 'gone', message: `Process ${pid} had already ended.` }
  if (process.platform === 'linux' && uid !== null) {
    const owner = ownerUid(pid, procRoot)
    if (owner === null) return refuse(`CamGuard cannot see who owns process ${pid}, so it will not stop it.`)
    if (owner !== uid) {
      return refuse(
        `Process ${pid} belongs to another user. Only that user (or an administrator) can stop it.`,
      )
    }
  }
  try {
    kill(pid, 'SIGTERM')
  } catch (err) {
    if (errorCode(err) === 'ESRCH')
      return { ok: true, pid, outcome: 'gone', message: `Process ${pid} had already ended.` }
    if (errorCode(err) === 'EPERM') return refuse(`You do not have permission to stop process ${pid}.`)
    return { ok: false, pid, outcome: 'failed', message: `Could not stop process ${pid}: ${String(err)}` }
  }
  for (let waited = 0; waited < graceMs; waited += 100) {
    await sleep(100)
    if (!alive())
      return { ok: true, pid, outcome: 'terminated', message: `Process ${pid} was asked to close and did.` }
  }
  try {
    kill(pid, 'SIGKILL')
  } catch (err) {
    if (errorCode(err) !== 'ESRCH') {
      return {
        ok: false,
        pid,
        outcome: 'failed',
        message: `Could not force process ${pid} to end: ${String(err)}`,
      }
    }
  }
  for (let waited = 0; waited < 2000; waited += 50) {
    if (!alive()) {
      return {
        ok: true,
        pid,
        outcome: 'killed',
        message: `Process ${pid} did not close when asked, so it was forced to end.`,
      }
    }
    await sleep(50)
  }
  return {
    ok: false,
    pid,
    outcome: 'failed',
    message: `Process ${pid} is still running after being forced to end.`,
  }
}
