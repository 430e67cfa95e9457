// Every command line of the README's "The `camguard` command" section, run as it is written (through
// sh, so its quotes, `~` and `>` mean what they mean to a reader) against a temporary data directory
// and home folder, with what each one must do spelled out below. A line added to the README without
// an expectation fails, and so does an expectation whose line left the README: the README cannot drift
// from the command again.
//
// The only changes made to a line: `npx camguard` runs the built bin/camguard.js (what npx would find
// after `npm ci`), and the two example values that name something on the reader's machine (the pid in
// `stop 4242`, the hook id in `hook remove 3fa2c1`) are replaced by real ones from this run.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActivitySession, CameraSnapshot } from '../../src/shared/types.js'
import { CLI, ROOT, makeDevice, runCli, startHolder, startWatch, type Holder } from '../support/processes.js'

/** The `npx camguard …` lines of the README's CLI section, in order. */
export function readmeCommandLines(readme: string): string[] {
  const start = readme.indexOf('## The `camguard` command')
  if (start < 0) throw new Error('the README has no "The `camguard` command" section')
  const next = readme.indexOf('\n## ', start + 3)
  const section = readme.slice(start, next < 0 ? undefined : next)
  const lines: string[] = []
  let inShell = false
  for (const line of section.split('\n')) {
    if (line.startsWith('```')) inShell = line.trim() === '```sh'
    else if (inShell && line.startsWith('npx camguard ')) lines.push(line)
  }
  return lines
}

/** The command as the table below names it: without `npx camguard`, the comment and extra spaces. */
function commandOf(line: string): string {
  return line
    .replace(/^npx camguard /, '')
    .replace(/\s+#\s.*$/, '')
    .trim()
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

interface World {
  home: string
  dataDir: string
  /** A process of ours that `stop` may end: it records from the (test) microphone. */
  victim: ChildProcess | null
}

interface Expectation {
  exit: number
  /** Checks the output (and anything the command left behind). */
  check?: (run: Run, world: World) => void | Promise<void>
  /** Runs until Ctrl+C: once its output matches, the test presses it (SIGINT to its process group). */
  untilInterrupted?: RegExp
  /** Talks to a running monitor: a `camguard watch` runs while it does. */
  needsMonitor?: true
  /** Prepares the line: replaces an example value with a real one. */
  prepare?: (line: string, world: World) => string | Promise<string>
}

const json = <T>(run: Run): T => JSON.parse(run.stdout) as T

const EXPECTED: Record<string, Expectation> = {
  status: { exit: 0, check: (r) => expect(r.stdout).toMatch(/^Camera: ON, used by zoom/) },
  'status --json': {
    exit: 0,
    check: (r) => {
      const s = json<CameraSnapshot>(r)
      expect(s.state).toBe('on')
      expect(s.cameras.flatMap((c) => c.users).map((u) => u.name)).toEqual(['zoom'])
    },
  },
  watch: { exit: 0, untilInterrupted: /Watching 1 camera.*the camera is ON/ },
  'watch --json --no-notify --interval 500': { exit: 0, untilInterrupted: /^\{"type":"ready"/m },
  'log --since 7d': {
    exit: 0,
    check: (r) => {
      expect(r.stdout).toContain('teams') // yesterday
      expect(r.stdout).not.toContain('skype') // a month ago
    },
  },
  'log --json --limit 20': {
    exit: 0,
    check: (r) => {
      const sessions = json<ActivitySession[]>(r)
      expect(sessions.map((s) => s.apps[0]?.name)).toContain('skype')
      expect(sessions.length).toBeLessThanOrEqual(20)
    },
  },
  'log --csv > camera-history.csv': {
    exit: 0,
    check: (r, w) => {
      expect(r.stdout).toBe('')
      const csv = readFileSync(join(w.home, 'camera-history.csv'), 'utf8').split('\r\n')
      expect(csv[0]).toBe('start,end,durationMs,apps,unexpected,reasons,kind')
      expect(csv.some((l) => l.includes('skype') && l.includes('untrusted-app'))).toBe(true)
    },
  },
  // zoom is a real process using the test camera: the program it runs is what is trusted.
  'trust zoom': {
    exit: 0,
    check: (r) => expect(r.stdout).toMatch(/^Trusted zoom: \/\S+\/zoom \(camera only\)\./),
  },
  // zoom uses the camera; --kind says the device to trust it for, whatever it was seen using.
  'trust zoom --kind microphone': {
    exit: 0,
    check: (r) => expect(r.stdout).toMatch(/^Trusted zoom: \/\S+\/zoom \(microphone only\)\./),
  },
  'trust --upgrade': {
    exit: 0,
    check: (r) => expect(r.stdout).toMatch(/Every trusted app is already trusted by its executable/),
  },
  'untrust zoom': { exit: 0, check: (r) => expect(r.stdout).toMatch(/No longer trusted: zoom: \//) },
  trusted: { exit: 0, check: (r) => expect(r.stdout).toMatch(/No trusted apps yet/) },
  'remind 10': {
    exit: 0,
    needsMonitor: true,
    // zoom uses the camera and the test recorder the microphone: the reminder is for either.
    check: (r) =>
      expect(r.stdout).toMatch(
        /^CamGuard will remind you in 10 minutes \(at \d.*\) if the camera or microphone is still on\.$/m,
      ),
  },
  'snooze 30': { exit: 0, needsMonitor: true, check: (r) => expect(r.stdout).toMatch(/30 minutes/) },
  snooze: { exit: 0, needsMonitor: true, check: (r) => expect(r.stdout).toMatch(/goes off/) },
  'stop 4242': {
    exit: 0,
    prepare: (line, w) => line.replace('4242', String(w.victim!.pid)),
    check: async (_r, w) => {
      const victim = w.victim!
      if (victim.exitCode === null && victim.signalCode === null)
        await new Promise((resolve) => victim.once('exit', resolve))
      expect(victim.signalCode).toBe('SIGTERM') // asked to close, and it did
    },
  },
  'config list': { exit: 0, check: (r) => expect(r.stdout).toMatch(/^stillOnMinutes = 15$/m) },
  'config set quietHours 22:00-07:00': {
    exit: 0,
    check: (r) => expect(r.stdout).toBe('quietHours = {"start":"22:00","end":"07:00"}\n'),
  },
  'config set stillOnMinutes 10': { exit: 0, check: (r) => expect(r.stdout).toBe('stillOnMinutes = 10\n') },
  'config reset': {
    exit: 0,
    check: (_r, w) => {
      const settings = JSON.parse(readFileSync(join(w.dataDir, 'settings.json'), 'utf8')) as Record<
        string,
        unknown
      >
      expect(settings.quietHours ?? null).toBeNull()
      expect(settings.stillOnMinutes ?? 15).toBe(15)
    },
  },
  guide: {
    exit: 0,
    check: (r) => expect(r.stdout).toMatch(/^ {2}if-it-happens {2}If it is happening to you$/m),
  },
  'guide help --region uk': {
    exit: 0,
    check: (r) => expect(r.stdout).toMatch(/^Get help in the United Kingdom$/m),
  },
  'hook add --on camera-on,microphone-on -- notify-send "On air"': {
    exit: 0,
    check: (r) => expect(r.stdout).toMatch(/on camera-on, microphone-on, runs notify-send 'On air'/),
  },
  'hook list': { exit: 0, check: (r) => expect(r.stdout).toMatch(/notify-send 'On air'/) },
  'hook remove 3fa2c1': {
    exit: 0,
    prepare: async (line, w) => {
      const hooks = JSON.parse((await runCli(['hook', 'list', '--json'], env(w))).stdout) as { id: string }[]
      expect(hooks).toHaveLength(1)
      return line.replace('3fa2c1', hooks[0]!.id)
    },
    check: async (_r, w) =>
      expect(JSON.parse((await runCli(['hook', 'list', '--json'], env(w))).stdout)).toEqual([]),
  },
  doctor: { exit: 0, check: (r) => expect(r.stdout).toMatch(/camera/i) },
  'doctor --json': { exit: 0, check: (r) => expect(() => json(r)).not.toThrow() },
  'evidence add --app Instagram --account amy.k --file chat.png': {
    exit: 0,
    check: (r) => expect(r.stdout).toMatch(/^Saved entry \w+ .* with 1 file/),
  },
  'evidence export --out ~/evidence-for-police --zip': {
    exit: 0,
    check: (_r, w) => {
      expect(existsSync(join(w.home, 'evidence-for-police', 'report.html'))).toBe(true)
      expect(existsSync(join(w.home, 'evidence-for-police.zip'))).toBe(true)
    },
  },
}

function env(w: World): NodeJS.ProcessEnv {
  return { HOME: w.home, CAMGUARD_DATA_DIR: w.dataDir }
}

/** Runs one README line through sh in the home folder; presses Ctrl+C once `until` is printed. */
function runLine(line: string, w: World, until?: RegExp): Promise<Run> {
  // exec: the command itself gets Ctrl+C, as in a terminal, not a shell waiting for it.
  const command = line.replace(/^npx camguard /, `exec '${process.execPath}' '${CLI}' `)
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd: w.home,
      env: { ...process.env, NO_COLOR: '1', ...env(w) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, as a terminal's Ctrl+C would reach
    })
    let stdout = ''
    let stderr = ''
    let pressed = false
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL')
      reject(new Error(`"${line}" did not finish; stdout:\n${stdout}\nstderr:\n${stderr}`))
    }, 30_000)
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (until && !pressed && until.test(stdout)) {
        pressed = true
        process.kill(-child.pid!, 'SIGINT')
      }
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

function session(id: string, daysAgo: number, app: string): ActivitySession {
  const start = new Date(Date.now() - daysAgo * 86_400_000)
  return {
    id,
    start: start.toISOString(),
    end: new Date(start.getTime() + 300_000).toISOString(),
    durationMs: 300_000,
    apps: [{ pid: 4242, name: app, exe: `/usr/bin/${app}`, evidence: 'streaming' }],
    unexpected: true,
    reasons: ['untrusted-app'],
  }
}

const README_LINES = readmeCommandLines(readFileSync(join(ROOT, 'README.md'), 'utf8'))

describe.runIf(process.platform === 'linux')('the README\'s "camguard" command lines', () => {
  const world: World = { home: '', dataDir: '', victim: null }
  let camera: Holder
  let recorder: Holder

  beforeAll(async () => {
    // A camera in use by "zoom" (a real process holding a device file the settings point at), a
    // history with a session from yesterday and one from a month ago, and the file `evidence add` attaches.
    world.home = mkdtempSync(join(tmpdir(), 'camguard-home-'))
    world.dataDir = join(world.home, '.config', 'camguard')
    mkdirSync(world.dataDir, { recursive: true, mode: 0o700 })
    const { dir, device, pattern } = makeDevice()
    writeFileSync(
      join(world.dataDir, 'settings.json'),
      JSON.stringify({ devicePatterns: [pattern], micDevicePatterns: [join(dir, 'pcmC*D*c')] }),
      { mode: 0o600 },
    )
    writeFileSync(
      join(world.dataDir, 'activity.jsonl'),
      [session('old', 30, 'skype'), session('new', 1, 'teams')].map((s) => JSON.stringify(s) + '\n').join(''),
      { mode: 0o600 },
    )
    writeFileSync(join(world.home, 'chat.png'), Buffer.from('89504e470d0a1a0a', 'hex'))
    camera = await startHolder(device, 'map', { exe: 'zoom' })
    // stop ends only an app using a device now: the victim holds the test microphone.
    const mic = join(dir, 'pcmC0D0c')
    writeFileSync(mic, Buffer.alloc(4096))
    recorder = await startHolder(mic, 'open')
    world.victim = recorder.child
  })

  afterAll(async () => {
    await camera?.stop()
    await recorder?.stop()
  })

  it('shows command lines, and each has an expectation here (and each expectation a line)', () => {
    expect(README_LINES.length).toBeGreaterThan(10)
    expect(README_LINES.map(commandOf).filter((c) => !(c in EXPECTED))).toEqual([])
    expect(Object.keys(EXPECTED).filter((c) => !README_LINES.map(commandOf).includes(c))).toEqual([])
  })

  it.each(README_LINES.filter((l) => commandOf(l) in EXPECTED))('%s', async (line) => {
    const expected = EXPECTED[commandOf(line)]!
    const prepared = expected.prepare ? await expected.prepare(line, world) : line
    const monitor = expected.needsMonitor ? startWatch(['--no-notify'], env(world)) : null
    try {
      if (monitor) await monitor.waitFor((l) => /Watching/.test(l), 30_000)
      const run = await runLine(prepared, world, expected.untilInterrupted)
      expect(run.code, `stderr: ${run.stderr}`).toBe(expected.exit)
      if (!expected.untilInterrupted) expect(run.stderr).toBe('')
      await expected.check?.(run, world)
    } finally {
      if (monitor) {
        monitor.child.kill('SIGINT')
        await monitor.exit
      }
    }
  })
})
