// The evidence notebook through the real `camguard` command: real files in a temporary data directory.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/processes.js'
import { activitySession } from '../support/sessions.js'
import { sha256, snapshotTree } from '../support/tree.js'

const temp = (name: string) => mkdtempSync(join(tmpdir(), `camguard-${name}-`))
// One zone for the command, so that "the days of the entries" are the same days for the test.
const TZ = 'Europe/London'

interface Manifest {
  files: { path: string; size: number; sha256: string }[]
}

const session = (id: string, start: string, minutes: number, name: string, kind?: 'microphone') =>
  JSON.stringify(activitySession(id, start, minutes, { name, ...(kind ? { kind } : {}) }))

describe('camguard evidence', () => {
  const data = temp('data')
  const env = { CAMGUARD_DATA_DIR: data, TZ }
  const src = temp('files')
  const out = temp('out')
  const ids: string[] = []
  const originals: Record<string, Buffer> = {}

  const file = (name: string, content: Buffer | string, mtime?: string) => {
    const path = join(src, name)
    writeFileSync(path, content)
    if (mtime) utimesSync(path, new Date(mtime), new Date(mtime))
    originals[name] = Buffer.from(content)
    return path
  }
  const cli = async (...args: string[]) => {
    const r = await runCli(args, env)
    return r
  }

  beforeAll(async () => {
    // CamGuard's own records: two sessions on the entry days (one of them the microphone), one on another day.
    writeFileSync(
      join(data, 'activity.jsonl'),
      [
        session('s-20', '2026-11-20T21:55:00.000Z', 14, 'obs'),
        session('s-24', '2026-11-24T12:00:00.000Z', 5, 'cheese'),
        session('s-27', '2026-11-27T21:31:00.000Z', 9, 'zoom', 'microphone'),
      ].join('\n') + '\n',
      { mode: 0o600 },
    )
    const shot = file(
      'chat 1.png',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
      '2026-11-20T22:15:00Z',
    )
    const saved = file('chat-export.txt', 'amy.k: send 200 or everyone sees it\n', '2026-11-20T22:30:00Z')
    const receipt = file('receipt.pdf', '%PDF-1.4 receipt 123', '2026-11-27T21:50:00Z')

    const first = await cli(
      'evidence',
      'add',
      '--at',
      '2026-11-20 22:10',
      '--app',
      'Snapchat',
      '--account',
      'amy.k',
      '--account',
      'Amy K',
      '--link',
      'https://www.snapchat.com/add/amy.k',
      '--demand',
      'Pay 200 GBP or I send the video',
      '--asked',
      '200 GBP, gift card',
      '--note',
      'She moved me to a video call',
      '--file',
      shot,
      saved,
    )
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const second = await cli(
      'evidence',
      'add',
      '--at',
      '2026-11-27T21:40',
      '--app',
      'Instagram',
      '--account',
      'amy.k.2',
      '--paid',
      '50 GBP, Steam gift card, ref X12',
      '--file',
      receipt,
    )
    expect(second.code).toBe(0)
    for (const r of [first, second]) ids.push(/Saved entry ([0-9a-f]{8})/.exec(r.stdout)![1]!)
  })

  it('adds entries with copies of real files, each with its SHA-256, privately stored', async () => {
    const list = await cli('evidence', 'list', '--json')
    expect(list.code).toBe(0)
    const entries = JSON.parse(list.stdout) as {
      id: string
      at: string
      accounts: string[]
      payments: unknown[]
      attachments: { name: string; size: number; sha256: string; modifiedAt: string; file: string }[]
    }[]
    expect(entries.map((e) => e.id)).toEqual(ids)
    expect(entries[0]!.at).toBe('2026-11-20T22:10:00.000Z')
    expect(entries[0]!.accounts).toEqual(['amy.k', 'Amy K'])
    expect(entries[1]!.payments).toEqual([
      { kind: 'paid', amount: '50', currency: 'GBP', method: 'Steam gift card', reference: 'X12' },
    ])
    const [shot, chat] = entries[0]!.attachments
    expect(shot).toMatchObject({ name: 'chat 1.png', size: 11, modifiedAt: '2026-11-20T22:15:00.000Z' })
    expect(shot!.sha256).toBe(sha256(originals['chat 1.png']!))
    expect(chat!.sha256).toBe(sha256(originals['chat-export.txt']!))
    // Copied, not moved: the originals are where they were.
    expect(readFileSync(join(src, 'chat 1.png'))).toEqual(originals['chat 1.png'])
    expect(readFileSync(join(data, 'evidence/files', ids[0]!, shot!.file))).toEqual(originals['chat 1.png'])

    const tree = snapshotTree(join(data, 'evidence'))
    for (const [path, what] of Object.entries(tree)) {
      expect(what.slice(0, 8), path).toMatch(what.startsWith('dir') ? /^dir 700$/ : /^file 600/)
    }
  })

  it('exports a folder and a zip: every hash in manifest.json matches the file, the report has every entry and the sessions of those days', async () => {
    const dir = join(out, 'for-police')
    const r = await cli('evidence', 'export', '--out', dir, '--zip')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /Exported 2 entries, 3 files and 2 camera or microphone sessions to .*for-police/,
    )

    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest
    const onDisk = Object.keys(snapshotTree(dir)).filter((p) => !p.startsWith('dir') && p !== '.')
    const files = onDisk.filter((p) => snapshotTree(dir)[p]!.startsWith('file') && p !== 'manifest.json')
    expect(manifest.files.map((f) => f.path).sort()).toEqual(files.sort())
    expect(files).toHaveLength(4)
    for (const f of manifest.files) {
      const bytes = readFileSync(join(dir, f.path))
      expect(f.sha256, f.path).toBe(sha256(bytes))
      expect(f.size, f.path).toBe(bytes.length)
    }
    // The exported attachments are the original files, byte for byte.
    for (const name of ['chat 1.png', 'chat-export.txt', 'receipt.pdf']) {
      const exported = manifest.files.find((f) => f.path.endsWith(`-${name}`))!
      expect(exported.sha256, name).toBe(sha256(originals[name]!))
    }

    const html = readFileSync(join(dir, 'report.html'), 'utf8')
    for (const id of ids) expect(html).toContain(`id="entry-${id}"`)
    expect(html).toContain('Pay 200 GBP or I send the video')
    expect(html).toContain('Paid 50 GBP by Steam gift card (reference X12)')
    const sessions = /<section id="sessions"[\s\S]*?<\/section>/.exec(html)![0]
    expect(sessions).toContain('datetime="2026-11-20T21:55:00.000Z"')
    expect(sessions).toContain('datetime="2026-11-27T21:31:00.000Z"')
    expect(sessions).toContain('<td>Microphone</td>')
    expect(sessions).not.toContain('2026-11-24T12:00')
    expect(html).not.toContain('cheese')
    expect(html.match(/CamGuard's own record</g)).toHaveLength(2)

    // Modes: folders 0700, files 0600, the zip too.
    for (const [path, what] of Object.entries(snapshotTree(dir)))
      expect(what.slice(0, 8), path).toMatch(what.startsWith('dir') ? /^dir 700$/ : /^file 600/)
    expect(statSync(`${dir}.zip`).mode & 0o777).toBe(0o600)
    const names = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist()))',
        `${dir}.zip`,
      ],
      { encoding: 'utf8' },
    )
    expect(names.trim().split('\n').sort()).toEqual(
      ['manifest.json', ...files].map((p) => `for-police/${p}`).sort(),
    )
  })

  it('refuses an existing non-empty target and changes nothing there', async () => {
    const dir = join(out, 'taken')
    mkdirSync(dir)
    writeFileSync(join(dir, 'notes.txt'), 'mine')
    const before = snapshotTree(out)
    const r = await cli('evidence', 'export', '--out', dir)
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/taken is not empty; export never overwrites/)
    expect(snapshotTree(out)).toEqual(before)
  })

  it('exports only the days asked for', async () => {
    const r = await cli('evidence', 'export', '--out', join(out, 'later'), '--from', '2026-11-21')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Exported 1 entry, 1 file and 1 camera or microphone session/)
    const html = readFileSync(join(out, 'later', 'report.html'), 'utf8')
    expect(html).toContain(`id="entry-${ids[1]}"`)
    expect(html).not.toContain(`id="entry-${ids[0]}"`)
  })

  it.each([
    [['--file', '/no/such/file.png'], /There is no file \/no\/such\/file\.png/],
    [['--at', '2026-13-01'], /"2026-13-01" is not a date and time/],
    [['--at', '2999-01-01 10:00'], /is in the future/],
    [['--paid', 'plenty'], /"plenty" does not start with an amount/],
    [['--colour', 'red'], /Unknown option '--colour'/],
    [['--account', 'x\u0007y'], /account name contains control characters/],
  ])(
    'a bad add (%j) says so in one line, exits 2, and leaves the store byte for byte unchanged',
    async (args, message) => {
      const before = snapshotTree(data)
      const ok = file('fine.txt', 'fine')
      const r = await cli(
        'evidence',
        'add',
        '--app',
        'X',
        ...args,
        '--note',
        'n',
        ...(args[0] === '--file' ? [] : ['--file', ok]),
      )
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stdout).toBe('')
      expect(snapshotTree(data)).toEqual(before)
    },
  )

  it('an unknown id, or delete --all without --yes, is a usage error that deletes nothing', async () => {
    const before = snapshotTree(data)
    for (const args of [
      ['evidence', 'show', 'ffffffff'],
      ['evidence', 'delete', 'ffffffff'],
      ['evidence', 'delete', '--all'],
      ['evidence', 'delete'],
      ['evidence', 'export', '--out', join(out, 'x'), '--from', 'last week'],
    ]) {
      const r = await cli(...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
    }
    expect(snapshotTree(data)).toEqual(before)
  })

  it('shows an entry in full, and writes out characters that would act on the terminal', async () => {
    const show = await cli('evidence', 'show', ids[1]!.slice(0, 5))
    expect(show.code).toBe(0)
    expect(show.stdout).toContain(`Entry ${ids[1]}`)
    expect(show.stdout).toContain('Paid 50 GBP by Steam gift card (reference X12)')
    expect(show.stdout).toContain(`SHA-256 ${sha256(originals['receipt.pdf']!)}`)

    const hostileData = temp('data')
    const hostile = { CAMGUARD_DATA_DIR: hostileData, TZ }
    const add = await runCli(['evidence', 'add', '--app', 'Insta\u202egram', '--demand', 'line one'], hostile)
    expect(add.code).toBe(0)
    const list = await runCli(['evidence', 'list'], hostile)
    expect(list.stdout).toContain('Insta\\u202egram')
    expect(list.stdout).not.toContain('\u202e')
  })

  it('deletes one entry, then everything with --all --yes', async () => {
    const d = temp('data')
    const e = { CAMGUARD_DATA_DIR: d, TZ }
    const a = await runCli(['evidence', 'add', '--app', 'A', '--file', file('del.txt', 'x')], e)
    await runCli(['evidence', 'add', '--app', 'B'], e)
    const id = /Saved entry ([0-9a-f]{8})/.exec(a.stdout)![1]!
    expect((await runCli(['evidence', 'delete', id], e)).stdout).toBe(`Deleted entry ${id} and 1 file.\n`)
    expect((await runCli(['evidence', 'list', '--json'], e)).stdout).toMatch(/"app":"B"/)
    const all = await runCli(['evidence', 'delete', '--all', '--yes'], e)
    expect(all.stdout).toBe('Deleted 1 entry and 0 files. This cannot be undone.\n')
    expect((await runCli(['evidence', 'list'], e)).stdout).toMatch(/The evidence notebook is empty/)
  })
})
