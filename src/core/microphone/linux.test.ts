import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Runner } from '../ports.js'
import { startHolder } from '../../../tests/support/processes.js'
import { createLinuxMicDetector } from './linux.js'

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

/** The recorded pw-record dump, with its source made an ALSA card's and its client this process. */
function alsaSourceDump(card: number): string {
  const data = JSON.parse(
    readFileSync(
      new URL('../../../tests/fixtures/pipewire/pw-dump-pw-record-mic.json', import.meta.url),
      'utf8',
    ),
  ) as { id: number; info: { props: Record<string, unknown> } }[]
  const source = data.find((o) => o.id === 36)!.info.props
  Object.assign(source, { 'api.alsa.pcm.card': card, 'node.description': 'Built-in Audio' })
  data.find((o) => o.id === 35)!.info.props['pipewire.sec.pid'] = process.pid
  return JSON.stringify(data)
}

describe('the Linux microphone detector', () => {
  it('puts what PipeWire says about an ALSA card on that card, named by the pid it saw', async () => {
    const root = mkdtempSync(join(tmpdir(), 'camguard-mic-'))
    const dev = join(root, 'dev') + '/'
    mkdirSync(join(dev, 'snd'), { recursive: true })
    writeFileSync(join(dev, 'snd/pcmC0D0c'), '')
    const runtime = join(root, 'run')
    mkdirSync(runtime)
    // A server socket, so that PipeWire is asked; the runner answers for pw-dump.
    const server = createServer((c) => c.destroy())
    await new Promise<void>((r) => server.listen(join(runtime, 'pipewire-0'), r))
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())))
    const asked: string[][] = []
    const runner: Runner = async (file, args) => {
      asked.push([file, ...args])
      return { code: 0, signal: null, stdout: alsaSourceDump(0), stderr: '', timedOut: false }
    }
    const d = createLinuxMicDetector({
      devicePatterns: () => [join(dev, 'snd/pcmC*D*c')],
      devRoot: dev,
      sysRoot: join(root, 'sys'),
      env: { XDG_RUNTIME_DIR: runtime },
      runner,
    })
    cleanups.push(() => d.close())
    const s = await d.snapshot()
    expect(asked).toEqual([['pw-dump', '-N', '-r', join(runtime, 'pipewire-0')]])
    expect(s.state).toBe('on')
    expect(s.cameras).toEqual([
      {
        id: 'alsa:card0',
        name: 'Sound card 0',
        devices: [join(dev, 'snd/pcmC0D0c')],
        inUse: true,
        users: [{ pid: process.pid, name: expect.any(String), exe: process.execPath, evidence: 'pipewire' }],
      },
    ])
  })

  it('names the PulseAudio server when a stream came through it, and keeps what the app behind says as a claim', async () => {
    // Recorded: parecord through pipewire-pulse. The server saw pipewire-pulse's pid on its socket;
    // only the app's own word (application.process.id) points further.
    const root = mkdtempSync(join(tmpdir(), 'camguard-mic-'))
    writeFileSync(join(root, 'node'), Buffer.alloc(4096))
    const pulse = await startHolder(join(root, 'node'), 'open', { exe: 'pipewire' })
    cleanups.push(() => pulse.stop())
    const data = JSON.parse(
      readFileSync(
        new URL('../../../tests/fixtures/pipewire/pw-dump-parecord-pulse.json', import.meta.url),
        'utf8',
      ),
    ) as { id: number; info: { props: Record<string, unknown> } }[]
    data.find((o) => o.id === 44)!.info.props['pipewire.sec.pid'] = pulse.pid
    const runtime = join(root, 'run')
    mkdirSync(runtime)
    const server = createServer((c) => c.destroy())
    await new Promise<void>((r) => server.listen(join(runtime, 'pipewire-0'), r))
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())))
    const d = createLinuxMicDetector({
      devicePatterns: () => [join(root, 'none*')],
      env: { XDG_RUNTIME_DIR: runtime },
      runner: async () => ({
        code: 0,
        signal: null,
        stdout: JSON.stringify(data),
        stderr: '',
        timedOut: false,
      }),
    })
    cleanups.push(() => d.close())
    const s = await d.snapshot()
    expect(s.state).toBe('on')
    expect(s.cameras.flatMap((c) => c.users)).toEqual([
      {
        pid: pulse.pid,
        name: 'pipewire',
        exe: expect.stringMatching(/\/pipewire$/),
        evidence: 'pipewire',
        claimed: { name: 'parecord', pid: 21825 },
      },
    ])
  })
})
