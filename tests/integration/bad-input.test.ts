import { appendFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/processes.js'

const fresh = () => ({ CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'camguard-data-')) })
const oneLine = (s: string) => s.trim().split('\n').length === 1

describe('bad input gets one clear line and the right exit code', () => {
  it.each([
    [['frobnicate'], /Unknown command 'frobnicate'/],
    [['status', '--bogus'], /Unknown option '--bogus'/],
    [['watch', '--interval', 'abc'], /--interval must be a whole number from 50 to 600000/],
    [['watch', '--interval', '5'], /--interval must be a whole number/],
    [['log', '--since', 'last tuesday'], /--since takes a date/],
    [['log', '--limit', '0'], /--limit must be a whole number/],
    [
      ['config', 'set', 'stillOnMinutes', '-3'],
      /The first "still on" reminder must be a whole number of minutes/,
    ],
    [
      ['config', 'set', 'remindEveryMinutes', '0.0000001'],
      /The time between reminders must be a whole number of minutes from 1 to 1440\. Nothing was changed\./,
    ],
    [['config', 'set', 'quietHours', '25:99-07:00'], /Quiet hours start must be a time like 22:30\./],
    [['config', 'get', 'colour'], /Unknown setting "colour"/],
    // commander's suggestion stays on the one line; what was typed cannot act on the terminal.
    [['stauts'], /^camguard: Unknown command 'stauts'\. Did you mean status\? See "camguard --help"\.\n$/],
    [
      ['\u001b]0;title\u0007x'],
      /^camguard: Unknown command '\\x1b\]0;title\\x07x'\. See "camguard --help"\.\n$/,
    ],
    [['log', '--since', '\u001b[2J'], /not "\\x1b\[2J"\. See "camguard log --help"\.\n$/],
    [['remind', 'soon'], /Minutes must be a number/],
    [['stop', ' 12'], /^camguard: " 12" is not a process id: give it as plain digits as CamGuard shows it/],
    [
      ['trust', 'zoom', '--kind', 'cam'],
      /^camguard: --kind takes camera, microphone or camera,microphone, not "cam"\./,
    ],
  ])('camguard %j exits 2', async (args, message) => {
    const r = await runCli(args, fresh())
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(oneLine(r.stderr)).toBe(true)
    // Shaped the same whatever the mistake: a sentence starting with a capital (or with the value or
    // the flag it is about), none of commander's own words.
    expect(r.stderr).toMatch(/^camguard: [A-Z"-]/)
    expect(r.stderr).not.toMatch(/is invalid|command-argument/)
    expect(r.stdout).toBe('')
  })

  it('a refused config value changes nothing', async () => {
    const env = fresh()
    await runCli(['config', 'set', 'stillOnMinutes', '20'], env)
    await runCli(['config', 'set', 'stillOnMinutes', '-3'], env)
    expect((await runCli(['config', 'get', 'stillOnMinutes'], env)).stdout.trim()).toBe('20')
  })

  it('--help and --version work for every command and exit 0', async () => {
    for (const args of [
      ['--help'],
      ['--version'],
      ['status', '--help'],
      ['watch', '--help'],
      ['log', '--help'],
      ['config', 'set', '--help'],
    ]) {
      const r = await runCli(args, fresh())
      expect(r.code, args.join(' ')).toBe(0)
      expect(r.stdout.length, args.join(' ')).toBeGreaterThan(0)
    }
  })

  it('a corrupt settings.json is moved aside, defaults are used, and the user is told', async () => {
    const env = fresh()
    writeFileSync(join(env.CAMGUARD_DATA_DIR, 'settings.json'), '{"stillOnMinutes": 15,,,')
    const r = await runCli(['config', 'get', 'stillOnMinutes'], env)
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe('15')
    expect(r.stderr).toMatch(
      /settings file could not be used: it is not valid JSON.*moved to .*settings\.corrupt-.*default settings are in use/,
    )
    const aside = readdirSync(env.CAMGUARD_DATA_DIR).find((f) => f.startsWith('settings.corrupt-'))!
    expect(readFileSync(join(env.CAMGUARD_DATA_DIR, aside), 'utf8')).toBe('{"stillOnMinutes": 15,,,')
  })

  it('a settings.json with an invalid value is moved aside too, naming the key', async () => {
    const env = fresh()
    writeFileSync(join(env.CAMGUARD_DATA_DIR, 'settings.json'), JSON.stringify({ pollIntervalMs: 'fast' }))
    const r = await runCli(['config', 'list', '--json'], env)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).pollIntervalMs).toBe(1000)
    expect(r.stderr).toMatch(/pollIntervalMs/)
  })

  it('a damaged line in activity.jsonl is skipped and kept; the rest is read', async () => {
    const env = fresh()
    const file = join(env.CAMGUARD_DATA_DIR, 'activity.jsonl')
    const ok = (id: string) =>
      JSON.stringify({
        id,
        start: '2026-11-28T10:00:00Z',
        end: '2026-11-28T10:01:00Z',
        durationMs: 60000,
        apps: [],
        unexpected: false,
        reasons: [],
      })
    appendFileSync(file, ok('a') + '\n{"id":"b", "start": tru\n' + ok('c') + '\n')
    const r = await runCli(['log', '--json'], env)
    expect(r.code).toBe(0)
    expect((JSON.parse(r.stdout) as { id: string }[]).map((s) => s.id)).toEqual(['a', 'c'])
    expect(r.stderr).toMatch(/1 line\(s\) of the activity log could not be read \(line 2\).*kept/)
    expect(readFileSync(file, 'utf8')).toContain('{"id":"b", "start": tru')
  })

  it('remind with no monitor running says so and exits 1', async () => {
    const r = await runCli(['remind', '5'], fresh())
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/no CamGuard monitor is running/)
  })
})
