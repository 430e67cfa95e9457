import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isRunning, waitUntil } from '../../../tests/support/processes.js'
import { spawnLines, type StreamExit } from './spawn-lines.js'

function run(args: string[], onStart?: (kill: () => void, lines: string[]) => void) {
  const lines: string[] = []
  return new Promise<{ lines: string[]; exit: StreamExit }>((resolve) => {
    const stream = spawnLines(
      process.execPath,
      args,
      (line) => {
        lines.push(line)
        if (onStart && lines.length === 1) onStart(() => stream.kill(), lines)
      },
      (exit) => resolve({ lines, exit }),
    )
  })
}

describe('spawnLines (real processes)', () => {
  it('delivers whole lines, CRLF or LF, and the last unterminated one', async () => {
    const { lines, exit } = await run([
      '-e',
      "process.stdout.write('a\\r\\nb\\n'); process.stdout.write('c')",
    ])
    expect(lines).toEqual(['a', 'b', 'c'])
    expect(exit).toMatchObject({ code: 0, signal: null })
  })

  it('kill() ends a program that would run forever', async () => {
    const { lines, exit } = await run(['-e', "console.log('ready'); setInterval(() => {}, 1000)"], (kill) =>
      kill(),
    )
    expect(lines).toEqual(['ready'])
    expect(exit.signal).toBe('SIGTERM')
  })

  it('reports a program that cannot start, and keeps stderr of one that fails', async () => {
    const missing = await new Promise<StreamExit>((resolve) =>
      spawnLines('/nonexistent/camguard-no-such-program', [], () => {}, resolve),
    )
    expect(missing.error).toMatch(/ENOENT/)

    const { exit } = await run([
      '-e',
      "console.error('log: Must be admin to run \\'stream\\' command'); process.exit(64)",
    ])
    expect(exit.code).toBe(64)
    expect(exit.stderr).toMatch(/Must be admin/)
  })

  it('kill() right after a failed start returns at once (the detector closes while the program is missing)', async () => {
    const exited = new Promise<StreamExit>((resolve) =>
      spawnLines('/nonexistent/camguard-no-such-program', [], () => {}, resolve),
    ).then((e) => e)
    const handle = spawnLines(
      '/nonexistent/camguard-no-such-program',
      [],
      () => {},
      () => {},
    )
    handle.kill()
    // Reaching this line at all is the test: Node 20 spins forever killing a child with no pid.
    expect((await exited).error).toMatch(/ENOENT/)
  })
})

describe.runIf(process.platform !== 'win32')('spawnLines when CamGuard is killed', () => {
  it('ends the program with it, even on SIGKILL (log stream, pw-dump --monitor write nothing while idle)', async () => {
    // The built module, in a process of its own that is then killed as a user or the OOM killer would.
    const built = fileURLToPath(new URL('../../../dist/core/camera/spawn-lines.js', import.meta.url))
    const silent = 'console.log(process.pid); setInterval(() => {}, 1000)'
    const parent = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { spawnLines } from ${JSON.stringify(built)}
         spawnLines(process.execPath, ['-e', ${JSON.stringify(silent)}], (l) => console.log(l), () => {})`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    parent.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const program = Number(await waitUntil(() => /^(\d+)$/m.exec(out)?.[1], 'the program to start'))
    expect(isRunning(program)).toBe(true)
    const gone = new Promise((r) => parent.once('exit', r))
    parent.kill('SIGKILL')
    await gone
    await waitUntil(() => !isRunning(program), 'the program to end with CamGuard', Boolean, 10_000)
  })
})
