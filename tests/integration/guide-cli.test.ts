// `camguard guide` as a real process: the built command, the shipped guide files, the exit codes.
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = join(root, 'bin', 'camguard.js')
let dataDir: string

beforeAll(async () => {
  // `npm test` builds first; a lone `vitest run` of this file builds the CLI itself.
  if (!existsSync(join(root, 'dist', 'cli', 'index.js'))) {
    await promisify(execFile)(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.cli.json'],
      {
        cwd: root,
      },
    )
  }
  dataDir = await mkdtemp(join(tmpdir(), 'camguard-guide-cli-'))
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

function camguard(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      // A clean locale so only what each test sets decides the region.
      env: { PATH: process.env.PATH ?? '', HOME: dataDir, CAMGUARD_DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('camguard guide', () => {
  it('lists the topics for the locale region', async () => {
    const { code, stdout, stderr } = await camguard(['guide'], { LANG: 'en_IE.UTF-8' })
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toMatch(/help-ie\s+Get help in Ireland/)
    expect(stdout).not.toMatch(/help-(uk|us|ca|au|other)\b/)
    expect(stdout).toContain('camguard guide TOPIC')
  })

  it('prints the region help topic as plain text, emergency number first', async () => {
    const { code, stdout, stderr } = await camguard(['guide', 'help', '--region', 'AU'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout.startsWith('Get help in Australia\n')).toBe(true)
    expect(/\d[\d -]*\d/.exec(stdout)?.[0]).toBe('000')
    for (const syntax of ['**', '##', '](', '\x1b[']) expect(stdout).not.toContain(syntax)
    expect(stdout).toContain('https://www.accce.gov.au/report')
  })

  it('follows the saved region setting', async () => {
    const set = await camguard(['config', 'set', 'region', 'ca'])
    expect(set.stderr).toBe('')
    expect(set.code).toBe(0)
    const { stdout } = await camguard(['guide'], { LANG: 'en_GB.UTF-8' })
    expect(stdout).toContain('help-ca')
    expect(stdout).not.toContain('help-uk')
  })

  it.each([
    [['guide', '--region', 'mars'], /Unknown region "mars"/],
    [['guide', 'no-such-topic'], /no guide topic "no-such-topic"/],
    [['guide', '--bogus'], /--bogus/],
    [['guide', 'help', 'more'], /Too many arguments/],
  ])('exits 2 with one line on stderr for %j, pointing at the guide help', async (args, pattern) => {
    const { code, stdout, stderr } = await camguard(args)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(pattern)
    expect(stderr).toMatch(/see "camguard guide --help"/i)
  })

  it('with LANG=C.UTF-8 says which region it shows and how to choose another', async () => {
    const { code, stdout } = await camguard(['guide', 'help'], {
      LANG: 'C.UTF-8',
      // No saved region: a data folder of its own.
      CAMGUARD_DATA_DIR: join(dataDir, 'no-region'),
    })
    expect(code).toBe(0)
    expect(stdout).toMatch(
      /^Your language setting \(LANG=C\.UTF-8\) names no country, so this shows the region/,
    )
    expect(stdout).toContain('camguard guide --region CODE')
    expect(stdout).toContain('Get help in the EU and elsewhere')
  })
})
