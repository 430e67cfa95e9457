// A real PipeWire for microphone tests: pipewire-session.sh under dbus-run-session (PipeWire and
// WirePlumber in a runtime folder of the test's own, with a null source "test-mic"), and
// pw-record as a real capture client.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './processes.js'

const SCRIPT = join(ROOT, 'tests/support/pipewire-session.sh')

const PROGRAMS: Record<string, string> = {
  'dbus-run-session': 'dbus',
  pipewire: 'pipewire',
  wireplumber: 'wireplumber',
  'pw-cli': 'pipewire-bin',
  'pw-dump': 'pipewire-bin',
  'pw-record': 'pipewire-bin',
}
const PULSE_PROGRAMS: Record<string, string> = {
  'pipewire-pulse': 'pipewire-pulse',
  parecord: 'pulseaudio-utils',
}

/** The programs that are not installed, as "program (package)". */
export function missingPipeWirePrograms(pulse = false): string[] {
  return Object.entries({ ...PROGRAMS, ...(pulse ? PULSE_PROGRAMS : {}) })
    .filter(([p]) => spawnSync('sh', ['-c', `command -v ${p}`], { stdio: 'ignore' }).status !== 0)
    .map(([p, pkg]) => `${p} (Debian package ${pkg})`)
}

export interface Recorder {
  pid: number
  /** Ends pw-record and waits until it has exited. */
  stop(): Promise<void>
}

export interface PipeWireSession {
  /** The runtime folder: XDG_RUNTIME_DIR for whatever should talk to this server. */
  runtimeDir: string
  env: { XDG_RUNTIME_DIR: string }
  pipewirePid: number
  wireplumberPid: number
  /** pipewire-pulse's pid (with `pulse`), else 0. */
  pulsePid: number
  /** Starts `pw-record --target test-mic` (a real client recording from the source). */
  record(): Promise<Recorder>
  /** Starts `parecord --device=test-mic` (a real PulseAudio client, through pipewire-pulse). */
  recordPulse(): Promise<Recorder>
  close(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Starts the server; rejects with a clear message when a program is missing or it does not come up. */
export async function startPipeWire(
  options: { runtimeDir?: string; timeoutMs?: number; pulse?: boolean } = {},
): Promise<PipeWireSession> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const missing = missingPipeWirePrograms(options.pulse)
  if (missing.length) {
    throw new Error(
      `The microphone tests need a real PipeWire, but these programs are missing: ${missing.join(', ')}. ` +
        'Install them with: apt-get install --no-install-recommends pipewire pipewire-bin wireplumber pipewire-pulse pulseaudio-utils dbus',
    )
  }
  const runtimeDir = options.runtimeDir ?? mkdtempSync(join(tmpdir(), 'camguard-pw-'))
  // A process group of its own, so that close() can end the bus and the server whatever happens.
  const args = ['--', 'bash', SCRIPT, runtimeDir, ...(options.pulse ? ['--pulse'] : [])]
  const child: ChildProcess = spawn('dbus-run-session', args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  const recorders = new Set<ChildProcess>()

  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  async function close(): Promise<void> {
    for (const r of recorders) r.kill('SIGKILL')
    child.stdin!.end()
    const ended = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])
    if (!ended) {
      killGroup()
      await exited
    }
    rmSync(runtimeDir, { recursive: true, force: true })
  }

  const pids = await new Promise<{ pipewire: number; wireplumber: number; pulse: number }>(
    (resolve, reject) => {
      const timer = setTimeout(() => {
        killGroup()
        reject(new Error(`PipeWire did not start within ${timeoutMs} ms:\n${out}${err}`))
      }, timeoutMs)
      const check = () => {
        const ready = /^READY (.*)$/m.exec(out)
        const failed = /^ERROR (.*)$/m.exec(out)
        if (ready) {
          clearTimeout(timer)
          resolve(JSON.parse(ready[1]!) as { pipewire: number; wireplumber: number; pulse: number })
        } else if (failed) {
          clearTimeout(timer)
          reject(new Error(`PipeWire could not start: ${failed[1]}\n${err}`))
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
        reject(new Error(`the PipeWire session ended (${code}) before it was ready:\n${out}${err}`))
      })
    },
  ).catch(async (e: unknown) => {
    await close()
    throw e
  })

  const env = { XDG_RUNTIME_DIR: runtimeDir }
  /** A real client recording from the source into a file. */
  async function recorder(program: string, args: string[]): Promise<Recorder> {
    const wav = join(runtimeDir, `rec-${recorders.size}.wav`)
    const rec = spawn(program, [...args, wav], { env: { ...process.env, ...env }, stdio: 'ignore' })
    recorders.add(rec)
    const gone = new Promise<void>((resolve) => rec.once('exit', () => resolve()))
    await new Promise<void>((resolve, reject) => {
      rec.once('spawn', resolve)
      rec.once('error', reject)
    })
    return {
      pid: rec.pid!,
      async stop() {
        if (rec.exitCode === null && rec.signalCode === null) rec.kill('SIGTERM')
        await gone
        recorders.delete(rec)
      },
    }
  }
  return {
    runtimeDir,
    env,
    pipewirePid: pids.pipewire,
    wireplumberPid: pids.wireplumber,
    pulsePid: pids.pulse,
    record: () => recorder('pw-record', ['--target', 'test-mic']),
    recordPulse: () => recorder('parecord', ['--device=test-mic']),
    close,
  }
}
