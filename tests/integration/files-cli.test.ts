// The data directory and settings.json under a careless user and a failing disk: what the command
// creates, what it does with a file it cannot use, and the exit code when saving fails.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI, SMALL_TMPFS, runCli, startWatch, withOwnMounts } from '../support/processes.js'

const base = () => mkdtempSync(join(tmpdir(), 'camguard-files-'))
const mode = (path: string) => statSync(path).mode & 0o777

describe('the data directory', () => {
  it.each([
    [['status', '--device', '/nonexistent/video*']],
    [['config', 'list']],
    [['config', 'get', 'stillOnMinutes']],
  ])('is created private (0700) when %j runs first', async (args) => {
    const dir = join(base(), 'nested', 'camguard')
    const r = await runCli(args, { CAMGUARD_DATA_DIR: dir })
    expect(r.stderr).toBe('')
    expect(mode(dir).toString(8)).toBe('700')
  })
})

const isRoot = process.getuid?.() === 0

/** A fresh data directory holding settings.json with this content. */
function withSettings(text: string): string {
  const dir = base()
  writeFileSync(join(dir, 'settings.json'), text)
  return dir
}
const asideIn = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('settings.corrupt-'))

describe('a settings.json CamGuard cannot use', () => {
  it.each([
    ['empty', ''],
    ['white space only', '\n  \n'],
  ])('%s: moved aside, defaults used, the user told; every command works', async (_what, text) => {
    const dir = withSettings(text)
    const get = await runCli(['config', 'get', 'stillOnMinutes'], { CAMGUARD_DATA_DIR: dir })
    expect(get.code).toBe(0)
    expect(get.stdout.trim()).toBe('15')
    expect(get.stderr).toMatch(
      /settings file could not be used: it is empty\. It was moved to .*settings\.corrupt-/,
    )
    expect(asideIn(dir)).toHaveLength(1)
    expect(readFileSync(join(dir, asideIn(dir)[0]!), 'utf8')).toBe(text)
    const set = await runCli(['config', 'set', 'stillOnMinutes', '20'], { CAMGUARD_DATA_DIR: dir })
    expect(set.code).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).stillOnMinutes).toBe(20)
  })

  it('config reset works on an empty file', async () => {
    const dir = withSettings('')
    const r = await runCli(['config', 'reset'], { CAMGUARD_DATA_DIR: dir })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/back to their defaults/)
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ stillOnMinutes: 15 })
  })

  it('a folder in place of settings.json: moved aside with what it holds; status still checks the camera', async () => {
    const dir = base()
    mkdirSync(join(dir, 'settings.json'))
    writeFileSync(join(dir, 'settings.json', 'note'), 'mine')
    const r = await runCli(['status', '--device', '/nonexistent/video*'], { CAMGUARD_DATA_DIR: dir })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Camera: off/m)
    expect(r.stderr).toMatch(/could not be read \(EISDIR.*moved to/)
    expect(readFileSync(join(dir, asideIn(dir)[0]!, 'note'), 'utf8')).toBe('mine')
  })

  it('a fraction of a minute written by hand is refused: defaults, not a storm of reminders', async () => {
    const dir = withSettings(JSON.stringify({ remindEveryMinutes: 0.0000001, trustedApps: ['zoom'] }))
    const r = await runCli(['config', 'get', 'remindEveryMinutes'], { CAMGUARD_DATA_DIR: dir })
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe('15')
    expect(r.stderr).toMatch(/The time between reminders must be a whole number of minutes from 1 to 1440\./)
    // Nothing lost: the file is kept aside as it was.
    expect(JSON.parse(readFileSync(join(dir, asideIn(dir)[0]!), 'utf8'))).toEqual({
      remindEveryMinutes: 0.0000001,
      trustedApps: ['zoom'],
    })
  })

  it.skipIf(!isRoot)(
    "unreadable by its user (another owner's file): moved aside, defaults used",
    async () => {
      const name = `cgt-set-${randomBytes(4).toString('hex')}`
      const add = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name])
      expect(add.status).toBe(0)
      try {
        const uid = Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim())
        const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim())
        const dir = withSettings(JSON.stringify({ stillOnMinutes: 30 }))
        chownSync(dir, uid, gid)
        chmodSync(join(dir, 'settings.json'), 0o600) // still root's: the user cannot read it
        const r = spawnSync(
          'setpriv',
          [
            `--reuid=${uid}`,
            `--regid=${gid}`,
            '--clear-groups',
            process.execPath,
            CLI,
            'config',
            'get',
            'stillOnMinutes',
          ],
          {
            env: { ...process.env, CAMGUARD_DATA_DIR: dir, NO_COLOR: '1' },
            encoding: 'utf8',
            timeout: 30_000,
          },
        )
        expect(r.status, r.stderr).toBe(0)
        expect(r.stdout.trim()).toBe('15')
        expect(r.stderr).toMatch(/could not be read \(EACCES.*moved to .*settings\.corrupt-/)
        expect(asideIn(dir)).toHaveLength(1)
      } finally {
        spawnSync('userdel', [name])
      }
    },
  )
})

describe.skipIf(!isRoot || process.platform !== 'linux')('config set on a disk that refuses writes', () => {
  it('exits 1 (not a usage error), says where it failed, and changes nothing', async () => {
    const dir = withSettings(JSON.stringify({ stillOnMinutes: 30 }))
    // A read-only file system in a mount namespace of the command's own, made from a copy of the folder.
    const readOnlyCopy = `cp -a "$0" "$0.src" && ${SMALL_TMPFS} && cp -a "$0.src/." "$0" && mount -o remount,ro "$0"`
    const [unshare, ...args] = withOwnMounts(dir, readOnlyCopy)
    const r = spawnSync(unshare!, [...args, process.execPath, CLI, 'config', 'set', 'stillOnMinutes', '20'], {
      env: { ...process.env, CAMGUARD_DATA_DIR: dir, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(r.status, r.stderr).toBe(1)
    expect(r.stderr).toMatch(/Could not save stillOnMinutes to .*settings\.json: .*EROFS/)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stdout).toBe('')
  })
})

describe.skipIf(process.platform !== 'linux')('a monitor.lock left from before a reboot', () => {
  it('names a pid another program has now: watch takes it over and starts', { timeout: 60_000 }, async () => {
    const dir = base()
    // This test's own process plays the program that got the pid; the start time is the old one's.
    const start = readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!
    const lock = {
      pid: process.pid,
      startedAt: '2026-01-01T00:00:00.000Z',
      processStart: String(Number(start) - 100),
    }
    writeFileSync(join(dir, 'monitor.lock'), JSON.stringify(lock))
    const watch = startWatch(['--json', '--no-notify', '--device', '/nonexistent/video*'], {
      CAMGUARD_DATA_DIR: dir,
    })
    try {
      await watch.event('ready', 30_000)
      const now = JSON.parse(readFileSync(join(dir, 'monitor.lock'), 'utf8')) as { pid: number }
      expect(now.pid).toBe(watch.child.pid)
    } finally {
      watch.child.kill('SIGINT')
      expect(await watch.exit).toBe(0)
    }
  })
})
