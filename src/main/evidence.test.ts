import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserWindowConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { sha256, snapshotTree } from '../../tests/support/tree.js'
import type { EvidenceInput } from '../shared/evidence.js'
import {
  PRINT_WINDOW_OPTIONS,
  createEvidenceHandlers,
  createPdfPrinter,
  setupEvidence,
  type EvidenceDeps,
  type PrintWindow,
} from './evidence.js'

const temp = (name: string) => mkdtempSync(join(tmpdir(), `camguard-${name}-`))

const input = (over: Partial<EvidenceInput> = {}): EvidenceInput => ({
  at: '2026-11-27T21:40:00.000Z',
  app: 'Instagram',
  accounts: ['amy.k'],
  links: [],
  demand: 'Pay or else',
  payments: [],
  notes: '',
  ...over,
})

function setup(over: Partial<EvidenceDeps> = {}) {
  const data = temp('data')
  const src = temp('src')
  const out = temp('out')
  const file = (name: string, content: string) => {
    writeFileSync(join(src, name), content)
    return join(src, name)
  }
  let chosen: string[] = []
  let folder: string | null = join(out, 'export')
  let n = 0
  const printed: string[] = []
  const handlers = createEvidenceHandlers({
    dataDir: data,
    version: '1.2.3',
    sessions: () => [],
    chooseFiles: async () => chosen,
    chooseExportFolder: async () => folder,
    printToPdf: async (html) => {
      printed.push(html)
      return Buffer.from(`%PDF-1.7 of ${readFileSync(html, 'utf8').length} bytes`)
    },
    newToken: () => (++n).toString(16).padStart(32, '0'),
    now: () => new Date('2026-11-28T10:00:00Z'),
    ...over,
  })
  return {
    handlers,
    data,
    out,
    file,
    printed,
    choose: (paths: string[]) => (chosen = paths),
    folder: (path: string | null) => (folder = path),
  }
}

describe('evidence handlers', () => {
  it('copies only files chosen in main’s dialog, by the token it handed out', async () => {
    const t = setup()
    t.choose([t.file('chat.png', 'PNG'), t.file('receipt.txt', 'paid')])
    const picked = await t.handlers.pickEvidenceFiles()
    expect(picked).toEqual([
      { token: '00000000000000000000000000000001', name: 'chat.png', size: 3 },
      { token: '00000000000000000000000000000002', name: 'receipt.txt', size: 4 },
    ])
    const added = await t.handlers.addEvidence(
      input(),
      picked.map((p) => p.token),
    )
    expect(added.ok && added.entry.attachments.map((a) => [a.name, a.sha256])).toEqual([
      ['chat.png', sha256('PNG')],
      ['receipt.txt', sha256('paid')],
    ])
    // A token is used once: the same files cannot be added again without choosing them again.
    const again = await t.handlers.addEvidence(input(), [picked[0]!.token])
    expect(again).toEqual({ ok: false, error: 'a chosen file is no longer available; choose it again' })
    const forged = await t.handlers.addEvidence(input(), ['f'.repeat(32)])
    expect(forged.ok).toBe(false)
    expect((await t.handlers.listEvidence()).entries).toHaveLength(1)
  })

  it('a cancelled dialog chooses nothing; a folder or missing file is refused with its reason', async () => {
    const t = setup()
    t.choose([])
    expect(await t.handlers.pickEvidenceFiles()).toEqual([])
    t.choose([temp('folder')])
    await expect(t.handlers.pickEvidenceFiles()).rejects.toThrow(/is not a file/)
  })

  it('edits, deletes one and deletes all', async () => {
    const t = setup()
    t.choose([t.file('a.txt', 'A')])
    const [a] = await t.handlers.pickEvidenceFiles()
    const added = await t.handlers.addEvidence(input(), [a!.token])
    if (!added.ok) throw new Error(added.error)
    t.choose([t.file('b.txt', 'B')])
    const [b] = await t.handlers.pickEvidenceFiles()
    const edited = await t.handlers.updateEvidence(
      added.entry.id,
      input({ app: 'Snapchat' }),
      [b!.token],
      ['a1'],
    )
    expect(edited.ok && [edited.entry.app, edited.entry.attachments.map((x) => x.name)]).toEqual([
      'Snapchat',
      ['b.txt'],
    ])
    expect(await t.handlers.updateEvidence('ffffffff', input(), [], [])).toEqual({
      ok: false,
      error: 'there is no evidence entry "ffffffff"; "camguard evidence list" shows the ids',
    })
    await t.handlers.addEvidence(input(), [])
    expect((await t.handlers.deleteEvidence(added.entry.id)).ok).toBe(true)
    expect(await t.handlers.deleteAllEvidence('delete all evidence')).toEqual({ entries: 1, files: 0 })
    expect(await t.handlers.listEvidence()).toEqual({ entries: [], damaged: [] })
  })

  it('exports to the folder the person named, with the PDF in the manifest; nothing when cancelled', async () => {
    const t = setup()
    await t.handlers.addEvidence(input(), [])
    t.folder(null)
    expect(await t.handlers.exportEvidence({ from: null, to: null, zip: false, pdf: true })).toEqual({
      ok: true,
      summary: null,
    })
    expect(readdirSync(t.out)).toEqual([])

    t.folder(join(t.out, 'export'))
    const result = await t.handlers.exportEvidence({ from: null, to: null, zip: true, pdf: true })
    const dir = join(t.out, 'export')
    expect(result).toEqual({
      ok: true,
      summary: {
        dir,
        zip: `${dir}.zip`,
        pdf: join(dir, 'report.pdf'),
        entries: 1,
        attachments: 0,
        sessions: 0,
        problems: [],
      },
    })
    expect(t.printed).toEqual([join(dir, 'report.html')])
    const pdf = readFileSync(join(dir, 'report.pdf'))
    expect(pdf.toString()).toMatch(/^%PDF-1\.7 of \d+ bytes$/)
    expect(statSync(join(dir, 'report.pdf')).mode & 0o777).toBe(0o600)
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      files: { path: string; sha256: string }[]
    }
    expect(manifest.files.map((f) => f.path)).toEqual(['report.html', 'report.pdf'])
    expect(manifest.files[1]!.sha256).toBe(sha256(pdf))
  })

  it('says why an export was refused, and leaves the place as it was', async () => {
    const t = setup()
    expect(await t.handlers.exportEvidence({ from: null, to: null, zip: false, pdf: false })).toEqual({
      ok: false,
      error: 'the evidence notebook is empty; add an entry first ("camguard evidence add --help")',
    })
    await t.handlers.addEvidence(input(), [])
    expect(await t.handlers.exportEvidence({ from: '2026-02-30', to: null, zip: false, pdf: false })).toEqual(
      {
        ok: false,
        error: '"2026-02-30" is not a date; write it like 2026-11-28',
      },
    )
    const before = snapshotTree(t.out)
    const failing = setup({ printToPdf: () => Promise.reject(new Error('no printer')) })
    await failing.handlers.addEvidence(input(), [])
    const r = await failing.handlers.exportEvidence({ from: null, to: null, zip: true, pdf: true })
    expect(r).toEqual({ ok: false, error: 'the export could not be finished: no printer' })
    expect(readdirSync(failing.out)).toEqual([])
    expect(snapshotTree(t.out)).toEqual(before)
  })
})

describe('PDF of the report', () => {
  it('prints in a hidden window that runs no script and has no preload, and always closes it', async () => {
    const made: { options: BrowserWindowConstructorOptions; loaded: string | null; destroyed: boolean }[] = []
    const fake =
      (fail: boolean) =>
      (options: BrowserWindowConstructorOptions): PrintWindow => {
        const rec = { options, loaded: null as string | null, destroyed: false }
        made.push(rec)
        return {
          loadFile: async (p) => void (rec.loaded = p),
          webContents: {
            printToPDF: async (o) => {
              if (fail) throw new Error('print failed')
              return Buffer.from(JSON.stringify(o))
            },
          },
          destroy: () => void (rec.destroyed = true),
        }
      }
    const pdf = await createPdfPrinter(fake(false))('/x/report.html')
    expect(JSON.parse(pdf.toString())).toEqual({
      printBackground: true,
      pageSize: 'A4',
      preferCSSPageSize: true,
      generateDocumentOutline: true,
    })
    await expect(createPdfPrinter(fake(true))('/x/report.html')).rejects.toThrow('print failed')
    expect(made.map((m) => [m.loaded, m.destroyed])).toEqual([
      ['/x/report.html', true],
      ['/x/report.html', true],
    ])
    expect(made[0]!.options).toBe(PRINT_WINDOW_OPTIONS)
    expect(PRINT_WINDOW_OPTIONS).toMatchObject({
      show: false,
      webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false },
    })
    expect(PRINT_WINDOW_OPTIONS.webPreferences).not.toHaveProperty('preload')
  })

  it('setupEvidence asks Electron’s dialogs for files and for the folder, in the documents folder', async () => {
    const data = temp('data')
    const docs = temp('docs')
    const asked: unknown[] = []
    const handlers = setupEvidence({
      dataDir: data,
      app: { getVersion: () => '9.9.9', getPath: () => docs },
      dialog: {
        showOpenDialog: (async (o: unknown) => {
          asked.push(o)
          return { canceled: true, filePaths: [] }
        }) as never,
        showSaveDialog: (async (o: { defaultPath: string }) => {
          asked.push(o)
          return { canceled: false, filePath: o.defaultPath }
        }) as never,
      },
      createWindow: () => {
        throw new Error('no PDF asked for')
      },
      activity: { read: () => ({ sessions: [] }) },
      log: () => undefined,
    })
    expect(await handlers.pickEvidenceFiles()).toEqual([])
    await handlers.addEvidence(input(), [])
    const r = await handlers.exportEvidence({ from: null, to: null, zip: false, pdf: false })
    expect(r.ok && r.summary?.dir).toMatch(
      new RegExp(`^${docs}/camguard-evidence-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}$`),
    )
    expect(asked[0]).toMatchObject({ properties: ['openFile', 'multiSelections'] })
    expect(asked[1]).toMatchObject({ buttonLabel: 'Export' })
    const html = readFileSync(join(r.ok ? r.summary!.dir! : '', 'report.html'), 'utf8')
    expect(html).toContain('with CamGuard <bdi>9.9.9</bdi>')
  })
})
