import { readFileSync, readlinkSync } from 'node:fs'
import type { StopAppResult } from '../shared/ipc.js'
import type { CameraSnapshot, CameraUser } from '../shared/types.js'
import { errorCode, errorMessage } from './files.js'
import type { CameraDetector } from './ports.js'

/**
 * The app to stop. startedAt and exe, where the caller saw them (an alert, the window), pin the
 * process: a pid that now belongs to another program is refused.
 */
export interface StopTarget {
  pid: number
  /** The process's start time as /proc/<pid>/stat gives it (field 22, clock ticks since boot). */
  startedAt?: string | null | undefined
  exe?: string | null | undefined
}

export interface StopAppOptions {
  /**
   * Who uses the camera or the microphone now: a fresh check. Only one of them is stopped, so a pid
   * from an old notification, a typo or a recycled number cannot hit an unrelated program.
   */
  usersNow: () => Promise<readonly CameraUser[]>
  /** How long the app gets to close by itself before it is forced. */
  graceMs?: number
  procRoot?: string
  /** The uid CamGuard runs as (process.getuid()); only that user's processes are stopped, root included. */
  uid?: number | null
  sleep?: (ms: number) => Promise<void>
  kill?: (pid: number, signal: NodeJS.Signals | 0) => void
}

/** What makes a pid the same process over time. null fields: the platform or the rights do not tell. */
export interface ProcessIdentity {
  startedAt: string | null
  exe: string | null
  uid: number | null
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
const MAX_PID = 2 ** 31 - 1

/** The fields after the command name, which is in parentheses and may itself hold spaces and ')'. */
function statFields(pid: number, procRoot: string): string[] | null {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'latin1')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null
  }
}

/** Linux: start time, executable and owner from /proc; null when the process is gone or a zombie. */
export function processIdentity(pid: number, procRoot = '/proc'): ProcessIdentity | null {
  const fields = statFields(pid, procRoot)
  if (!fields || fields[0] === 'Z' || fields[0] === 'X') return null
  let exe: string | null = null
  try {
    exe = readlinkSync(`${procRoot}/${pid}/exe`)
  } catch {
    // another user's process (unless root) or a kernel thread: no executable to compare
  }
  let uid: number | null = null
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`${procRoot}/${pid}/status`, 'utf8'))
    uid = m ? Number(m[1]) : null
  } catch {
    // ended between the reads: the next check finds it gone
  }
  return { startedAt: fields[19] ?? null, exe, uid }
}

/** The processes above this one (parent, its parent, ...): stopping one would end CamGuard's own caller. */
export function ancestorsOf(pid: number, procRoot = '/proc'): number[] {
  const chain: number[] = []
  for (let p = pid; p > 1 && chain.length < 4096;) {
    const parent = Number(statFields(p, procRoot)?.[1] ?? (p === process.pid ? process.ppid : NaN))
    if (!Number.isInteger(parent) || parent <= 0) break
    chain.push(parent)
    p = parent
  }
  if (chain.length === 0 && process.ppid > 0) chain.push(process.ppid)
  return chain
}

/** Every app a snapshot names, camera and microphone. */
export function usersOf(snapshot: CameraSnapshot): CameraUser[] {
  return [...snapshot.cameras, ...(snapshot.microphone?.devices ?? [])].flatMap((c) => c.users)
}

/** usersNow from a detector: a check that could not tell is an error, never "nobody". */
export function usersNowFrom(detector: Pick<CameraDetector, 'snapshot'>): () => Promise<CameraUser[]> {
  return async () => {
    const snapshot = await detector.snapshot()
    const users = usersOf(snapshot)
    if (snapshot.state === 'unknown' && users.length === 0)
      throw new Error(snapshot.error ?? 'the camera state is unknown')
    return users
  }
}

const sameProcess = (a: ProcessIdentity, b: ProcessIdentity | null): boolean =>
  b !== null && a.startedAt === b.startedAt && a.exe === b.exe

/**
 * Asks an app that uses the camera or microphone now to close (SIGTERM) and forces it (SIGKILL) if
 * it is still there after graceMs. Right before each signal it checks the pid is still the same
 * process (start time and executable), so a number the system gave to another program is never hit.
 * Never another user's process (also as root), init, CamGuard itself or the processes that started it.
 */
export async function stopApp(target: StopTarget, options: StopAppOptions): Promise<StopAppResult> {
  const { pid } = target
  const procRoot = options.procRoot ?? '/proc'
  const sleep = options.sleep ?? defaultSleep
  const kill = options.kill ?? ((p, s) => process.kill(p, s))
  const graceMs = options.graceMs ?? 3000
  const uid = options.uid === undefined ? (process.getuid?.() ?? null) : options.uid
  const linux = process.platform === 'linux'
  const refuse = (message: string): StopAppResult => ({ ok: false, pid, outcome: 'refused', message })
  const gone: StopAppResult = { ok: true, pid, outcome: 'gone', message: `Process ${pid} had already ended.` }

  if (!Number.isSafeInteger(pid) || pid <= 1 || pid > MAX_PID)
    return refuse(`Process ${pid} is part of the system and cannot be stopped.`)
  if (pid === process.pid) return refuse('CamGuard will not stop itself.')
  if (ancestorsOf(process.pid, procRoot).includes(pid))
    return refuse(
      `Process ${pid} started CamGuard (it is your shell or the app running it); CamGuard will not stop it.`,
    )

  const identity = linux ? processIdentity(pid, procRoot) : { startedAt: null, exe: null, uid: null }
  if (!identity || !signalable(pid, kill)) return gone
  if (linux && uid !== null) {
    if (identity.uid === null)
      return refuse(`CamGuard cannot see who owns process ${pid}, so it will not stop it.`)
    if (identity.uid !== uid)
      return refuse(
        `Process ${pid} belongs to another user. Only that user (or an administrator) can stop it.`,
      )
  }
  const recycled = refuse(
    `Process ${pid} is no longer the app CamGuard showed: the number now belongs to another program. Nothing was stopped.`,
  )
  if (target.startedAt != null && identity.startedAt !== null && target.startedAt !== identity.startedAt)
    return recycled
  if (target.exe != null && identity.exe !== null && target.exe !== identity.exe) return recycled

  let users: readonly CameraUser[]
  try {
    users = await options.usersNow()
  } catch (err) {
    return refuse(
      `CamGuard could not check who uses the camera now (${errorMessage(err)}), so it stopped nothing.`,
    )
  }
  const user = users.find((u) => u.pid === pid)
  if (!user)
    return refuse(
      `Process ${pid} is not using the camera or the microphone now, so CamGuard will not stop it.`,
    )
  if (user.exe !== null && identity.exe !== null && user.exe !== identity.exe) return recycled

  // The same process as the one checked above, right now; on other systems, alive is all we can tell.
  const still = (): boolean =>
    linux
      ? sameProcess(identity, processIdentity(pid, procRoot)) && signalable(pid, kill)
      : signalable(pid, kill)

  if (!still()) return gone
  const term = send(pid, 'SIGTERM', kill)
  if (term) return term.outcome === 'gone' ? gone : term
  for (let waited = 0; waited < graceMs; waited += 100) {
    await sleep(100)
    if (!still()) return ended(pid)
  }
  if (!still()) return ended(pid)
  const forced = send(pid, 'SIGKILL', kill)
  if (forced && forced.outcome !== 'gone') return forced
  for (let waited = 0; waited < 2000; waited += 50) {
    if (!still()) {
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

function ended(pid: number): StopAppResult {
  return { ok: true, pid, outcome: 'terminated', message: `Process ${pid} was asked to close and did.` }
}

/** Whether a signal could reach the pid (it exists); EPERM means it exists but is not ours. */
function signalable(pid: number, kill: NonNullable<StopAppOptions['kill']>): boolean {
  try {
    kill(pid, 0)
    return true
  } catch (err) {
    return errorCode(err) === 'EPERM'
  }
}

/** Sends one signal; null when it was sent, else what to report. */
function send(
  pid: number,
  signal: 'SIGTERM' | 'SIGKILL',
  kill: NonNullable<StopAppOptions['kill']>,
): StopAppResult | null {
  try {
    kill(pid, signal)
    return null
  } catch (err) {
    const code = errorCode(err)
    if (code === 'ESRCH')
      return { ok: true, pid, outcome: 'gone', message: `Process ${pid} had already ended.` }
    if (code === 'EPERM')
      return {
        ok: false,
        pid,
        outcome: 'refused',
        message: `You do not have permission to stop process ${pid}.`,
      }
    const what = signal === 'SIGTERM' ? 'stop' : 'force'
    return {
      ok: false,
      pid,
      outcome: 'failed',
      message: `Could not ${what} process ${pid}: ${errorMessage(err)}`,
    }
  }
}
