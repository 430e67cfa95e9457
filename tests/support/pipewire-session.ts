// A real PipeWire for microphone tests: pipewire-session.sh under dbus-run-session (PipeWire and
// WirePlumber in a runtime folder of the test's own, with a null source "test-mic"), and
// pw-record as a real capture client.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './processes.js'
import { requirePrograms, startSessionScript } from './session-script.js'

const SCRIPT = join(ROOT, 'tests/support/pipewire-session.sh')

/** The Debian packages of tests/system-packages.json that the session runs programs from. */
const PACKAGES = ['dbus', 'pipewire', 'pipewire-bin', 'wireplumber']
const PULSE_PACKAGES = ['pipewire-pulse', 'pulseaudio-utils']

export interface Recorder {
  pid: number
  /** Ends the recorder and waits until it has exited. */
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

/** Starts the server; rejects with a clear message when a program is missing or it does not come up. */
export async function startPipeWire(
  options: { runtimeDir?: string; timeoutMs?: number; pulse?: boolean } = {},
): Promise<PipeWireSession> {
  const timeoutMs = options.timeoutMs ?? 30_000
  requirePrograms(
    [...PACKAGES, ...(options.pulse ? PULSE_PACKAGES : [])],
    'The microphone tests need a real PipeWire',
  )
  const runtimeDir = options.runtimeDir ?? mkdtempSync(join(tmpdir(), 'camguard-pw-'))
  const recorders = new Set<ChildProcess>()
  let script
  try {
    script = await startSessionScript<{ pipewire: number; wireplumber: number; pulse: number }>(
      'dbus-run-session',
      ['--', 'bash', SCRIPT, runtimeDir, ...(options.pulse ? ['--pulse'] : [])],
      'PipeWire',
      timeoutMs,
    )
  } catch (e) {
    if (!options.runtimeDir) rmSync(runtimeDir, { recursive: true, force: true })
    throw e
  }
  const { ready: pids, close: closeScript } = script
  async function close(): Promise<void> {
    for (const r of recorders) r.kill('SIGKILL')
    await closeScript()
    rmSync(runtimeDir, { recursive: true, force: true })
  }

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
