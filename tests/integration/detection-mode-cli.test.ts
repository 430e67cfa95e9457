// Which detection mode the camguard command uses on Linux, as a user sees it in its JSON output.
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { makeDevice, runCli, startWatch } from '../support/processes.js'

const dirs: string[] = []
const watches: ReturnType<typeof startWatch>[] = []
afterEach(async () => {
  // A failed assertion must not leave a monitor running.
  for (const w of watches.splice(0)) {
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL')
    await w.exit
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function watch(...args: Parameters<typeof startWatch>) {
  const w = startWatch(...args)
  watches.push(w)
  return w
}

function device() {
  const dev = makeDevice()
  dirs.push(dev.dir)
  return dev
}

/** inotifywait processes watching anything under `dir`. */
function watchersOf(dir: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0')
        return cmd[0]!.endsWith('inotifywait') && cmd.some((a) => a.startsWith(dir))
      } catch {
        return false
      }
    })
    .map(Number)
}

describe.runIf(process.platform === 'linux')('detection mode', () => {
  it('status --json says event-driven where inotifywait is installed, poll when forced', async () => {
    const dev = device()
    const args = ['status', '--json', '--device', dev.pattern, '--data-dir', `${dev.dir}/data`]
    const event = await runCli(args)
    expect(event.code).toBe(0)
    expect(JSON.parse(event.stdout).mode).toBe('event')
    const poll = await runCli(args, { CAMGUARD_DETECTION: 'poll' })
    expect(JSON.parse(poll.stdout).mode).toBe('poll')
    const missing = await runCli(args, { PATH: '/nonexistent' })
    expect(JSON.parse(missing.stdout).mode).toBe('poll')
  })

  it('watch reports event mode in ready and leaves no watcher process when stopped', async () => {
    const dev = device()
    const w = watch(['--json', '--no-notify', '--device', dev.pattern, '--data-dir', `${dev.dir}/data`])
    const ready = await w.event<{ mode: string; snapshot: { mode: string } }>('ready')
    expect(ready.mode).toBe('event')
    expect(ready.snapshot.mode).toBe('event')
    expect(watchersOf(dev.dir).length).toBeGreaterThan(0)
    w.child.kill('SIGINT')
    expect(await w.exit).toBe(0)
    expect(watchersOf(dev.dir)).toEqual([])
  })

  it('watch polls when CAMGUARD_DETECTION=poll', async () => {
    const dev = device()
    const w = watch(['--json', '--no-notify', '--device', dev.pattern, '--data-dir', `${dev.dir}/data`], {
      CAMGUARD_DETECTION: 'poll',
    })
    const ready = await w.event<{ mode: string }>('ready')
    expect(ready.mode).toBe('poll')
    expect(watchersOf(dev.dir)).toEqual([])
    w.child.kill('SIGINT')
    expect(await w.exit).toBe(0)
  })
})
