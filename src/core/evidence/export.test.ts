import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { activitySession } from '../../../tests/support/sessions.js'
import { sha256, snapshotTree } from '../../../tests/support/tree.js'
import { exportEvidence, type ExportOptions } from './export.js'
import type { Manifest } from './manifest.js'
import { sessionsOfDays } from './sessions.js'
import { EvidenceStore } from './store.js'

const temp = (name: string) => mkdtempSync(join(tmpdir(), `camguard-${name}-`))
const local = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).toISOString()

const session = (id: string, start: string, minutes: number, kind?: 'microphone') =>
  activitySession(id, start, minutes, { name: 'obs', ...(kind ? { kind } : {}) })

async function notebook() {
  const data = temp('data')
  const src = temp('src')
  const store = new EvidenceStore(data)
  const file = (name: string, content: string) => {
    writeFileSync(join(src, name), content)
    return join(src, name)
  }
  const a = await store.add({ at: local(2026, 11, 20, 22, 10), app: 'Snapchat', accounts: ['amy.k'] }, [
    file('chat.png', 'PNG bytes'),
    file('chat.png.txt', 'notes'),
  ])
  const b = await store.add({ at: local(2026, 11, 27, 21, 40), app: 'Instagram', demand: 'Pay or else' }, [
    file('receipt.pdf', '%PDF receipt'),
  ])
  const out = join(temp('out'), 'evidence-export')
  const options = (over: Partial<ExportOptions> = {}): ExportOptions => ({
    out,
    now: new Date(),
    version: '0.1.0',
    sessions: () => [
      session('before', local(2026, 11, 19, 23, 50), 5),
      session('night-before', local(2026, 11, 19, 23, 58), 10), // runs past midnight into the 20th
      session('same-day', local(2026, 11, 20, 21, 0), 30),
      session('mic', local(2026, 11, 27, 8, 0), 2, 'microphone'),
      session('other-day', local(2026, 11, 24, 12, 0), 5),
    ],
    ...over,
  })
  return { data, store, a, b, out, options }
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest

describe('exportEvidence', () => {
  it('makes a folder with the report, the attachments and a manifest whose hashes match the files', async () => {
    const { store, options, out } = await notebook()
    const result = await exportEvidence(store, options())
    expect(result).toMatchObject({
      dir: out,
      zip: null,
      entries: 2,
      attachments: 3,
      sessions: 3,
      problems: [],
    })
    const manifest = manifestOf(out)
    expect(manifest).toMatchObject({
      format: 'camguard-evidence-export',
      algorithm: 'SHA-256',
      createdBy: 'CamGuard 0.1.0',
    })
    const paths = manifest.files.map((f) => f.path)
    expect(paths).toEqual([...paths].sort())
    expect(paths).toHaveLength(4)
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^attachments\/[0-9a-f]{8}-a1-chat\.png$/),
        expect.stringMatching(/^attachments\/[0-9a-f]{8}-a2-chat\.png\.txt$/),
        expect.stringMatching(/^attachments\/[0-9a-f]{8}-a1-receipt\.pdf$/),
        'report.html',
      ]),
    )
    for (const f of manifest.files) {
      const bytes = readFileSync(join(out, f.path))
      expect(f.sha256, f.path).toBe(sha256(bytes))
      expect(f.size, f.path).toBe(bytes.length)
    }
    // The copies are the notebook's files, byte for byte.
    expect(
      readFileSync(
        join(
          out,
          paths.find((p) => p.endsWith('receipt.pdf'))!,
        ),
        'utf8',
      ),
    ).toBe('%PDF receipt')
    const modes = Object.values(snapshotTree(out)).map((v) => v.split(' ').slice(0, 2).join(' '))
    expect(new Set(modes)).toEqual(new Set(['dir 700', 'file 600']))
  })

  it('includes the sessions of the days the entries cover, and no others', () => {
    const entries = [{ at: local(2026, 11, 20, 22, 10) }, { at: local(2026, 11, 27, 21, 40) }]
    const picked = sessionsOfDays(
      [
        session('before', local(2026, 11, 19, 23, 50), 5),
        session('night-before', local(2026, 11, 19, 23, 58), 10),
        session('same-day', local(2026, 11, 20, 21, 0), 30),
        session('late', local(2026, 11, 20, 23, 59), 1),
        session('mic', local(2026, 11, 27, 8, 0), 2, 'microphone'),
        session('other-day', local(2026, 11, 24, 12, 0), 5),
        session('day-after', local(2026, 11, 28, 0, 0), 5),
      ],
      entries,
    )
    expect(picked.map((s) => [s.id, s.kind])).toEqual([
      ['night-before', 'camera'],
      ['same-day', 'camera'],
      ['late', 'camera'],
      ['mic', 'microphone'],
    ])
  })

  it('makes a .zip of the folder that another program can read, with the same files', async () => {
    const { store, options, out } = await notebook()
    const result = await exportEvidence(store, options({ zip: true }))
    expect(result.zip).toBe(`${out}.zip`)
    expect(statSync(`${out}.zip`).mode & 0o777).toBe(0o600)
    // Python's zipfile as an independent reader: checks every CRC and lists every member.
    const script = [
      'import hashlib, json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}))',
    ].join('\n')
    const listed = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script, `${out}.zip`], { encoding: 'utf8' }),
    )
    const expected = Object.fromEntries(
      ['manifest.json', ...manifestOf(out).files.map((f) => f.path)].map((p) => [
        `evidence-export/${p}`,
        sha256(readFileSync(join(out, p))),
      ]),
    )
    expect(listed).toEqual(expected)
  })

  it('never overwrites: a non-empty folder, a file, or an existing .zip is refused, and nothing is touched', async () => {
    const { store, options, out } = await notebook()
    mkdirSync(out)
    writeFileSync(join(out, 'mine.txt'), 'keep me')
    await expect(exportEvidence(store, options())).rejects.toThrow(/is not empty; export never overwrites/)
    expect(readdirSync(out)).toEqual(['mine.txt'])

    const file = `${out}-file`
    writeFileSync(file, 'x')
    await expect(exportEvidence(store, options({ out: file }))).rejects.toThrow(/is not a folder/)

    const other = `${out}-2`
    writeFileSync(`${other}.zip`, 'old zip')
    await expect(exportEvidence(store, options({ out: other, zip: true }))).rejects.toThrow(
      /\.zip already exists/,
    )
    expect(readFileSync(`${other}.zip`, 'utf8')).toBe('old zip')
    expect(() => statSync(other)).toThrow()

    // An empty folder is fine.
    mkdirSync(`${out}-empty`)
    await expect(exportEvidence(store, options({ out: `${out}-empty` }))).resolves.toMatchObject({
      entries: 2,
    })
  })

  it('filters by date, and refuses when nothing is left', async () => {
    const { store, options, out } = await notebook()
    const result = await exportEvidence(store, options({ from: new Date(2026, 10, 25) }))
    expect(result).toMatchObject({ entries: 1, attachments: 1, sessions: 1 })
    await expect(
      exportEvidence(store, options({ out: `${out}-none`, to: new Date(2026, 10, 1) })),
    ).rejects.toThrow(/no entries fall between those dates/)
    expect(() => statSync(`${out}-none`)).toThrow()
  })

  it('adds what `extra` makes (the app’s PDF) to the manifest; a failure leaves nothing behind', async () => {
    const { store, options, out } = await notebook()
    const result = await exportEvidence(
      store,
      options({
        extra: async (dir, report) => {
          expect(readFileSync(report, 'utf8')).toContain('<h1>Evidence report</h1>')
          writeFileSync(join(dir, 'report.pdf'), '%PDF-1.7 fake', { mode: 0o600 })
          return ['report.pdf']
        },
      }),
    )
    expect(result.extra).toEqual(['report.pdf'])
    expect(manifestOf(out).files.find((f) => f.path === 'report.pdf')?.sha256).toBe(sha256('%PDF-1.7 fake'))

    const failing = `${out}-fail`
    await expect(
      exportEvidence(
        store,
        options({ out: failing, zip: true, extra: () => Promise.reject(new Error('printer on fire')) }),
      ),
    ).rejects.toThrow(/the export could not be finished: printer on fire/)
    expect(() => statSync(failing)).toThrow()
    expect(() => statSync(`${failing}.zip`)).toThrow()
  })

  it('points out a file that changed in the notebook, and one that is missing', async () => {
    const { store, options, a, b } = await notebook()
    writeFileSync(store.filePath(a, a.attachments[0]!), 'tampered')
    const { rmSync } = await import('node:fs')
    rmSync(store.filePath(b, b.attachments[0]!))
    const result = await exportEvidence(store, options())
    expect(result.problems).toEqual([
      `chat.png (entry ${a.id}) no longer matches the hash recorded when it was added`,
      `receipt.pdf (entry ${b.id}) is missing from the notebook`,
    ])
    const html = readFileSync(join(result.dir, 'report.html'), 'utf8')
    expect(html).toContain('no longer matches the SHA-256 recorded when it was added')
    expect(html).toContain('missing: the copy in the notebook could not be found')
  })

  it('refuses an empty notebook', async () => {
    const store = new EvidenceStore(temp('data'))
    await expect(
      exportEvidence(store, {
        out: join(temp('out'), 'x'),
        now: new Date(),
        version: '1',
        sessions: () => [],
      }),
    ).rejects.toThrow(/the evidence notebook is empty/)
  })
})
