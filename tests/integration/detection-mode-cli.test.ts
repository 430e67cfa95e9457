// Which detection mode the camguard command uses on Linux, as a user sees it in its JSON output,
// and what a running `camguard watch` leaves on the machine: in-process inotify, no helper program.
import { readdirSync, readlinkSync, rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import {
  childrenOf,
  makeDevice,
  processTable,
  runCli,
  startHolder,
  startWatch,
} from '../support/processes.js'

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

function inotifyFdsOf(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === 'anon_inode:inotify'
    } catch {
      return false
    }
  }).length
}

describe.runIf(process.platform === 'linux')('detection mode', () => {
  it('status --json says event-driven by default (inotify in-process), poll when forced', async () => {
    const dev = device()
    const args = ['status', '--json', '--device', dev.pattern, '--data-dir', `${dev.dir}/data`]
    // No inotify-tools needed: an empty PATH changes nothing.
    const event = await runCli(args, { PATH: '/nonexistent' })
    expect(event.code).toBe(0)
    expect(JSON.parse(event.stdout).mode).toBe('event')
    const poll = await runCli(args, { CAMGUARD_DETECTION: 'poll' })
    expect(JSON.parse(poll.stdout).mode).toBe('poll')
  })

  it('watch runs in event mode with no child process, sees a camera go on and off, and exits clean', async () => {
    const dev = device()
    const w = watch(['--json', '--no-notify', '--device', dev.pattern, '--data-dir', `${dev.dir}/data`], {
      PATH: '/nonexistent',
    })
    const ready = await w.event<{ mode: string; snapshot: { mode: string } }>('ready')
    expect(ready.mode).toBe('event')
    expect(ready.snapshot.mode).toBe('event')
    expect(inotifyFdsOf(w.child.pid!)).toBeGreaterThan(0)

    const holder = await startHolder(dev.device, 'open')
    await w.event('camera-on')
    await holder.stop()
    await w.event('camera-off')
    expect(childrenOf(w.child.pid!)).toEqual([])

    w.child.kill('SIGINT')
    expect(await w.exit).toBe(0)
  })

  it('SIGKILL leaves nothing behind', async () => {
    const dev = device()
    const w = watch(['--json', '--no-notify', '--device', dev.pattern, '--data-dir', `${dev.dir}/data`])
    await w.event('ready')
    const pid = w.child.pid!
    expect(childrenOf(pid)).toEqual([])
    w.child.kill('SIGKILL')
    await w.exit
    // Nothing of it runs on: no process of its own, none started by it, none watching its device.
    const left = processTable().filter((p) => p.pid === pid || p.ppid === pid || p.cmdline.includes(dev.dir))
    expect(left).toEqual([])
  })

  it('watch polls when CAMGUARD_DETECTION=poll', async () => {
    const dev = device()
    const w = watch(['--json', '--no-notify', '--device', dev.pattern, '--data-dir', `${dev.dir}/data`], {
      CAMGUARD_DETECTION: 'poll',
    })
    const ready = await w.event<{ mode: string }>('ready')
    expect(ready.mode).toBe('poll')
    w.child.kill('SIGINT')
    expect(await w.exit).toBe(0)
  })
})
