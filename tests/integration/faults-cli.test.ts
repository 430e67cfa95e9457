// `camguard watch` (the built command, the real /proc) when its history cannot be written: a folder
// in place of activity.jsonl, and (as root) a file system that is full or read-only, made for real
// with a small tmpfs in a mount namespace of the watch's own. The camera turning on is still told at
// once, the failure is said once with its place, the session is written once the disk allows, and
// every way out removes the lock and the control socket.
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { controlSocket } from '../../src/core/control.js'
import { LOCK_FILE } from '../../src/core/lock.js'
import type { ActivitySession } from '../../src/shared/types.js'
import {
  SMALL_TMPFS,
  makeDevice,
  runCli,
  startHolder,
  startWatch,
  withOwnMounts,
} from '../support/processes.js'

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const isRoot = process.getuid?.() === 0
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function scenario(options: { prefix?: (dataDir: string) => string[] } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'camguard-faults-'))
  const dev = makeDevice()
  cleanups.push(() => {
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(dev.dir, { recursive: true, force: true })
  })
  const env = { CAMGUARD_DATA_DIR: dataDir }
  const watch = startWatch(['--json', '--no-notify', '--interval', '200', '--device', dev.pattern], env, {
    ...(options.prefix ? { prefix: options.prefix(dataDir) } : {}),
  })
  cleanups.push(async () => {
    watch.child.kill('SIGKILL')
    await watch.exit
  })
  const history = join(dataDir, 'activity.jsonl')
  const leftovers = () =>
    [join(dataDir, LOCK_FILE), controlSocket(dataDir) ?? ''].filter((p) => existsSync(p))
  /** One camera session by a process named `name`; resolves with its camera-on event. */
  async function session(name: string) {
    const from = watch.lines.length
    const h = await startHolder(dev.device, 'map', { as: name })
    cleanups.push(() => h.stop())
    const on = await watch.event<{ apps: { name: string }[] }>('camera-on', 30_000, from)
    await h.stop()
    await watch.event('camera-off', 30_000, from)
    await sleep(2500) // past the seconds in which off-and-on-again is one session
    return on
  }
  const names = () =>
    readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as ActivitySession).apps[0]!.name)
  return { dataDir, dev, env, watch, history, leftovers, session, names }
}

describe.skipIf(process.platform !== 'linux')(
  'a history that cannot be written',
  { timeout: 180_000 },
  () => {
    it('a folder in place of activity.jsonl: watching goes on, the failure is said once, the session is kept and written later', async () => {
      const s = scenario()
      await s.watch.event('ready')
      mkdirSync(s.history)
      expect((await s.session('first')).apps[0]!.name).toBe('first')
      expect((await s.session('second')).apps[0]!.name).toBe('second')
      const said = s.watch.stderr
        .split('\n')
        .filter((l) => l.includes('could not write its activity history'))
      expect(said).toHaveLength(1)
      expect(said[0]).toContain(s.history)
      expect(said[0]).toMatch(/EISDIR/)

      rmSync(s.history, { recursive: true })
      await s.session('third')
      expect([...new Set(s.names())]).toEqual(['first', 'second', 'third'])
      expect(s.leftovers()).toHaveLength(2) // the lock and the socket, while it runs
      const busy = await runCli(['log', '--compact'], s.env)
      expect(busy.code).toBe(1)
      expect(busy.stderr).toMatch(/is writing the history; stop it first/)

      s.watch.child.kill('SIGTERM')
      expect(await s.watch.exit).toBe(0)
      expect(s.leftovers()).toEqual([])

      // Appended, so several lines a session; compacting (asked for) leaves one each.
      expect(s.names().length).toBeGreaterThan(3)
      const compact = await runCli(['log', '--compact'], s.env)
      expect(compact.code, compact.stderr).toBe(0)
      expect(s.names()).toEqual(['first', 'second', 'third'])
    })

    it('a control folder others can open: watch refuses to start, says why, and leaves no lock', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'camguard-faults-'))
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
      mkdirSync(join(dataDir, 'run'), { mode: 0o755 })
      chmodSync(join(dataDir, 'run'), 0o755)
      const watch = startWatch(['--no-notify', '--device', join(dataDir, 'none*')], {
        CAMGUARD_DATA_DIR: dataDir,
      })
      expect(await watch.exit).toBe(1)
      expect(watch.stderr).toMatch(
        /CamGuard will not use .*run for its control socket: other users can open it \(mode 0755\)/,
      )
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false)
    })

    it('a terminal closing (SIGHUP) ends it cleanly: no lock or socket is left', async () => {
      const s = scenario()
      await s.watch.event('ready')
      expect(s.leftovers()).toHaveLength(2)
      s.watch.child.kill('SIGHUP')
      await s.watch.exit
      expect(s.leftovers()).toEqual([])
    })

    describe.skipIf(!isRoot)('on a small file system of its own (root)', () => {
      // The data folder becomes a 1 MiB tmpfs, seen by this watch only; the test reaches into its
      // mount namespace with nsenter to fill the disk or make it read-only.
      const mounted = (dataDir: string) => withOwnMounts(dataDir, SMALL_TMPFS)
      const inside = (pid: number, ...command: string[]) =>
        execFileSync('nsenter', ['-t', String(pid), '-m', ...command], { stdio: 'pipe' })

      it('a full disk: the session is kept in memory and written when space comes back', async () => {
        const s = scenario({ prefix: mounted })
        await s.watch.event('ready')
        const fill = join(s.dataDir, 'fill')
        try {
          inside(s.watch.child.pid!, 'dd', 'if=/dev/zero', `of=${fill}`, 'bs=64k')
        } catch {
          // dd ends with "No space left on device": the disk is full.
        }
        await s.session('onfull')
        expect(s.watch.stderr).toMatch(/could not write its activity history to .*activity\.jsonl \(ENOSPC/)
        inside(s.watch.child.pid!, 'rm', fill)
        await s.session('after')
        const history = inside(s.watch.child.pid!, 'cat', s.history).toString()
        const names = history
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as ActivitySession).apps[0]!.name)
        expect([...new Set(names)]).toEqual(['onfull', 'after'])
        s.watch.child.kill('SIGINT')
        expect(await s.watch.exit).toBe(0)
      })

      it('a read-only file system: watching goes on and it says so once; on exit it says what was lost', async () => {
        const s = scenario({ prefix: mounted })
        await s.watch.event('ready')
        inside(s.watch.child.pid!, 'mount', '-o', 'remount,ro', s.dataDir)
        await s.session('readonly')
        await s.session('again')
        expect(s.watch.stderr.match(/could not write its activity history/g)).toHaveLength(1)
        expect(s.watch.stderr).toMatch(/EROFS/)
        s.watch.child.kill('SIGINT')
        expect(await s.watch.exit).toBe(0)
        expect(s.watch.stderr).toMatch(/2 sessions could not be written to .*activity\.jsonl and are lost/)
      })
    })
  },
)
