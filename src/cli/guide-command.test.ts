import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { Command, CommanderError } from 'commander'
import { describe, expect, it } from 'vitest'
import type { Region } from '../shared/settings.js'
import { RuntimeError, UsageError } from './errors.js'
import { guideCommand, type GuideCommandDeps } from './guide-command.js'

function capture(): PassThrough & { text: () => string } {
  const stream = new PassThrough()
  let text = ''
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
  return Object.assign(stream, { text: () => text })
}

async function run(args: string[], opts: Partial<GuideCommandDeps> & { columns?: number } = {}) {
  const out = capture()
  const err = capture()
  if (opts.columns) Object.assign(out, { columns: opts.columns })
  const command = guideCommand({ env: { LANG: 'en_GB.UTF-8' }, ...opts, out, err })
  const error = await command.parseAsync(args, { from: 'user' }).then(
    () => undefined,
    (e: unknown) => e,
  )
  return { out: out.text(), err: err.text(), error }
}

describe('camguard guide', () => {
  it('lists the topics for the locale region in order, and says how to open one', async () => {
    const { out, error } = await run([], { env: { LANG: 'en_GB.UTF-8' } })
    expect(error).toBeUndefined()
    expect(out).toContain('United Kingdom')
    expect(out).toMatch(/if-it-happens\s+If it is happening to you/)
    expect(out).toMatch(/help-uk\s+Get help in the United Kingdom/)
    expect(out).not.toContain('help-us')
    expect(out.indexOf('if-it-happens')).toBeLessThan(out.indexOf('help-uk'))
    expect(out).toContain('camguard guide TOPIC')
  })

  it('prefers the region setting over the locale, and --region over both', async () => {
    const setting = (): 'auto' | Region => 'au'
    expect((await run([], { env: { LANG: 'en_GB.UTF-8' }, regionSetting: setting })).out).toContain('help-au')
    const { out } = await run(['--region', 'US'], { env: { LANG: 'en_GB.UTF-8' }, regionSetting: setting })
    expect(out).toContain('help-us')
    expect(out).not.toContain('help-au')
  })

  it('follows the locale when the setting is auto, and falls back to the general page', async () => {
    expect((await run([], { env: { LC_ALL: 'fr_CA.UTF-8' }, regionSetting: () => 'auto' })).out).toContain(
      'help-ca',
    )
    expect((await run([], { env: {} })).out).toContain('help-other')
  })

  it.each([
    ['gb', 'Get help in the United Kingdom'],
    ['EU', 'Get help in the EU and elsewhere'],
    ['ie', 'Get help in Ireland'],
  ])('--region %s opens "%s" for "help"', async (region, title) => {
    const { out, error } = await run(['help', '--region', region])
    expect(error).toBeUndefined()
    expect(out.startsWith(`${title}\n`)).toBe(true)
    expect(out).toContain('In an emergency')
  })

  it('prints a topic by id or unique prefix as plain, wrapped text', async () => {
    const { out, error } = await run(['evid'], { columns: 60 })
    expect(error).toBeUndefined()
    expect(out).toMatch(/^Evidence checklist\n=+\n/)
    for (const syntax of ['**', '##', '](']) expect(out).not.toContain(syntax)
    for (const line of out.split('\n')) {
      if (line.length > 59) expect(line.trim().split(' ').length, line).toBe(1)
    }
    expect(out).not.toContain('\x1b[')
  })

  it('opens another region topic by its full id', async () => {
    const { out } = await run(['help-us'], { env: { LANG: 'en_GB.UTF-8' } })
    expect(out).toContain('911')
  })

  it('refuses an unknown region with what to type', async () => {
    const { error } = await run(['--region', 'mars'])
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message).toMatch(/unknown region "mars"; use one of uk \(or gb\)/)
  })

  it('refuses an unknown topic, pointing at topics that mention it', async () => {
    const { error } = await run(['bank'], { env: { LANG: 'en_GB' } })
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message).toMatch(/no guide topic "bank"; topics that mention it: .*if-it-happens/)
    const none = await run(['zzzz'])
    expect((none.error as Error).message).toMatch(/run "camguard guide" to list the topics/)
  })

  it.each([[['--region', 'mars']], [['no-such-topic']], [['re']], [['--bogus']], [['a', 'b']]])(
    'points every usage error in %j at "camguard guide --help"',
    async (args) => {
      const { error } = await run(args)
      expect(error).toBeInstanceOf(UsageError)
      expect((error as Error).message).toMatch(/see "camguard guide --help"$/)
    },
  )

  it.each([
    [{ LANG: 'C.UTF-8' }, 'LANG=C.UTF-8'],
    [{ LC_ALL: 'POSIX', LANG: 'C' }, 'LC_ALL=POSIX'],
    [{}, null],
    [{ LANG: 'en' }, 'LANG=en'],
  ])(
    'with a locale that names no country (%j), says which region it picked and how to change it',
    async (env, shown) => {
      const { out } = await run([], { env })
      const note = out.split('\n\n')[0]!
      expect(note).toMatch(/names? no country, so this shows the region "Elsewhere \/ EU"/)
      if (shown) expect(note).toContain(`(${shown})`)
      expect(note).toContain('camguard guide --region CODE')
      expect(note).toContain('camguard config set region CODE')
      expect(out).toContain('help-other')
      // The same note comes first when a topic is printed.
      expect((await run(['help'], { env })).out.startsWith(note)).toBe(true)
    },
  )

  it.each([
    [{ env: { LANG: 'en_GB.UTF-8' } }],
    [{ env: { LANG: 'de_DE.UTF-8' } }],
    [{ env: { LANG: 'C.UTF-8' }, regionSetting: () => 'other' as const }],
  ])('says nothing about the region when a country or the setting chose it: %j', async (opts) => {
    expect((await run([], opts)).out).not.toContain('names no country')
    expect(
      (await run([], { env: { LANG: 'C.UTF-8' } }).then(() => run(['--region', 'eu'], opts))).out,
    ).not.toContain('names no country')
  })

  it('prints topic links with the command that opens them', async () => {
    const out = (await run(['if-it-happens', '--region', 'uk'], { columns: 200 })).out.replace(/\s+/g, ' ')
    expect(out).toContain('Evidence checklist (camguard guide evidence)')
    expect(out).toContain('Get help (camguard guide help)')
    expect(out).toContain('If you are under 18 (camguard guide under-18)')
  })

  it('prints the evidence notebook link as its command when the program has one, and leaves it out when not', async () => {
    const alone = await run(['evidence'], { columns: 200 })
    expect(alone.out).not.toContain('evidence notebook')
    expect(alone.out).toContain('What to save or write down')

    const out = capture()
    const program = new Command('camguard')
    program.command('evidence').description('the evidence notebook')
    program.addCommand(guideCommand({ env: {}, out, err: capture() }))
    await program.parseAsync(['guide', 'evidence'], { from: 'user' })
    expect(out.text().replace(/\s+/g, ' ')).toContain(
      "CamGuard's evidence notebook (camguard evidence --help)",
    )
  })

  it('keeps the region emergency and crisis lines inside "If it is happening to you"', async () => {
    const { out } = await run(['if-it-happens', '--region', 'ca'], { columns: 80 })
    const danger = out.slice(out.indexOf('If you are in danger now'), out.indexOf('Step by step'))
    for (const line of ['911', '988', 'Kids Help Phone: 1-800-668-6868', 'text CONNECT to 686868']) {
      expect(danger).toContain(line)
    }
    expect(out).not.toContain('{{')
  })

  it('refuses an ambiguous prefix, naming the candidates', async () => {
    const { error } = await run(['re'])
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message).toMatch(
      /could mean .*reduce-risk.*remove-images|could mean .*remove-images.*reduce-risk/,
    )
  })

  it('turns commander usage errors into one UsageError and prints nothing itself', async () => {
    const unknownFlag = await run(['--bogus'])
    expect(unknownFlag.error).toBeInstanceOf(UsageError)
    expect((unknownFlag.error as Error).message).toMatch(
      /unknown option '--bogus'; see "camguard guide --help"/,
    )
    expect(unknownFlag.err).toBe('')
    expect((await run(['a', 'b'])).error).toBeInstanceOf(UsageError)
    expect((await run(['--region'])).error).toBeInstanceOf(UsageError)
  })

  it('prints help to out and leaves the exit to the caller', async () => {
    const { out, error } = await run(['--help'])
    expect(error).toBeInstanceOf(CommanderError)
    expect((error as CommanderError).exitCode).toBe(0)
    expect(out).toContain('--region <code>')
  })

  it('reports a broken guide folder as a runtime failure naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'camguard-guide-cli-'))
    try {
      await writeFile(join(dir, 'broken.md'), '---\ntitle: x\n---\ntext\n')
      const { error } = await run([], { dir })
      expect(error).toBeInstanceOf(RuntimeError)
      expect((error as Error).message).toMatch(/broken\.md: front matter "order" is missing/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('uses bold only for a terminal without NO_COLOR', async () => {
    const out = capture()
    Object.assign(out, { isTTY: true })
    await guideCommand({ out, err: capture(), env: {} }).parseAsync(['evidence'], { from: 'user' })
    expect(out.text()).toContain('\x1b[1m')
    const plain = capture()
    Object.assign(plain, { isTTY: true })
    await guideCommand({ out: plain, err: capture(), env: { NO_COLOR: '1' } }).parseAsync(['evidence'], {
      from: 'user',
    })
    expect(plain.text()).not.toContain('\x1b[')
  })
})
