// Another local user against the control channel, for real: the test creates two users (a victim
// and an attacker; root only), the attacker listens first at the name the control socket used to
// take in the shared temp folder, and the victim's `camguard watch` and `camguard snooze` must work
// with each other and never with the attacker, who cannot reach the victim's socket either.
import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { controlSocket } from '../../src/core/control.js'
import { CLI, startWatch } from '../support/processes.js'

const isRoot = process.getuid?.() === 0
if (!isRoot) console.log('control-users test skipped: it creates two users, which needs root.')

interface User {
  name: string
  uid: number
  gid: number
}

function createUser(role: string): User {
  const name = `cgt-${role}-${randomBytes(4).toString('hex')}`
  const r = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name], {
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(`useradd ${name} failed: ${r.stderr}`)
  const id = (flag: string) => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim())
  return { name, uid: id('-u'), gid: id('-g') }
}

const as = (u: User) => ['setpriv', `--reuid=${u.uid}`, `--regid=${u.gid}`, '--clear-groups']

/** Runs the built command as a user; returns its exit code and output. */
function cliAs(u: User, args: string[], env: NodeJS.ProcessEnv) {
  const [file, ...pre] = as(u)
  const r = spawnSync(file!, [...pre, process.execPath, CLI, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A node one-liner run as a user, resolving with what it printed. */
function nodeAs(u: User, code: string): Promise<string> {
  const [file, ...pre] = as(u)
  const child = spawn(file!, [...pre, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  return new Promise((resolve) => child.on('close', () => resolve(out)))
}

describe.skipIf(!isRoot || process.platform !== 'linux')(
  'the control socket and another local user',
  { timeout: 120_000 },
  () => {
    let victim: User
    let attacker: User
    let base: string
    const cleanups: (() => unknown)[] = []

    beforeAll(() => {
      victim = createUser('v')
      attacker = createUser('a')
      base = mkdtempSync(join(tmpdir(), 'camguard-users-'))
      chmodSync(base, 0o755)
    })
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c()
      for (const u of [victim, attacker]) if (u) spawnSync('userdel', [u.name])
      rmSync(base, { recursive: true, force: true })
    })

    it('the attacker cannot take the name first, answer in its place, or reach the socket', async () => {
      // A data directory so long that its socket path would not fit: the old code moved the socket
      // to a predictable name in the shared temp folder.
      const home = join(base, 'victim')
      const dataDir = join(home, 'd'.repeat(60), 'e'.repeat(40))
      mkdirSync(dataDir, { recursive: true, mode: 0o700 })
      for (const d of [home, join(home, 'd'.repeat(60)), dataDir]) chownSync(d, victim.uid, victim.gid)
      chmodSync(home, 0o700)
      const env = { CAMGUARD_DATA_DIR: dataDir, HOME: home }

      const oldName = join(
        tmpdir(),
        `camguard-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}.sock`,
      )
      const [file, ...pre] = as(attacker)
      const squatter = spawn(
        file!,
        [
          ...pre,
          process.execPath,
          '-e',
          `require('net').createServer((s) => s.end('{"ok":true,"message":"ATTACKER"}\\n')).listen(${JSON.stringify(oldName)}, () => console.log('listening'))`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      )
      cleanups.push(() => {
        squatter.kill('SIGKILL')
        rmSync(oldName, { force: true })
      })
      await new Promise<void>((resolve) => squatter.stdout.on('data', () => resolve()))

      const watch = startWatch(['--json', '--no-notify', '--device', join(base, 'none', 'video*')], env, {
        prefix: as(victim),
      })
      cleanups.push(async () => {
        watch.child.kill('SIGKILL')
        await watch.exit
      })
      await watch.event('ready', 30_000)
      let socket: string | null = null
      for (let i = 0; i < 100 && socket === null; i++) {
        socket = controlSocket(dataDir, { env: {}, uid: victim.uid })
        if (!socket) await new Promise((r) => setTimeout(r, 100))
      }
      expect(socket).not.toBeNull()
      expect(socket).not.toBe(oldName)

      const snooze = cliAs(victim, ['snooze'], env)
      expect(snooze.stdout).not.toContain('ATTACKER')
      expect(snooze).toMatchObject({
        code: 0,
        stdout: 'The camera is off, so there are no reminders to snooze.\n',
      })

      // The attacker knows where the socket is (here the test tells it), and still cannot connect.
      const tried = await nodeAs(
        attacker,
        `require('net').connect(${JSON.stringify(socket)}).on('connect', () => { console.log('CONNECTED'); process.exit() }).on('error', (e) => console.log(e.code))`,
      )
      expect(tried.trim()).toBe('EACCES')
      const theirs = cliAs(attacker, ['snooze'], env)
      expect(theirs.code).toBe(1)
      expect(theirs.stdout).toBe('')

      watch.child.kill('SIGTERM')
      expect(await watch.exit).toBe(0)
    })
  },
)
