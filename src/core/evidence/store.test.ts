import { mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256, snapshotTree } from '../../../tests/support/tree.js'
import { EvidenceInputError } from './files.js'
import { EvidenceStore } from './store.js'

const temp = (name: string) => mkdtempSync(join(tmpdir(), `camguard-${name}-`))
const mode = (path: string) => statSync(path).mode & 0o777

function setup(ids: string[] = ['0000000a', '0000000b', '0000000c', '0000000d']) {
  const data = temp('data')
  let clock = Date.parse('2026-11-28T15:00:00Z')
  const queue = [...ids]
  const store = new EvidenceStore(data, {
    now: () => new Date((clock += 1000)),
    newId: () => queue.shift() ?? 'ffffffff',
  })
  const src = temp('src')
  const file = (name: string, content: string | Buffer) => {
    const path = join(src, name)
    writeFileSync(path, content)
    return path
  }
  return { data, store, file, src }
}

const input = (over: Record<string, unknown> = {}) => ({
  at: '2026-11-27T21:40:00.000Z',
  app: 'Instagram',
  accounts: ['lucy_x_2009'],
  links: ['https://instagram.com/lucy_x_2009'],
  demand: 'Pay 200 or I send the video to your friends',
  payments: [{ kind: 'asked' as const, amount: '200', currency: 'GBP', method: 'gift card' }],
  notes: 'Moved me to a video call from Snapchat',
  ...over,
})

describe('EvidenceStore', () => {
  it('adds an entry and copies (never moves) its files, recording name, size, time and SHA-256', async () => {
    const { store, file } = setup()
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255])
    const shot = file('chat 1.png', png)
    utimesSync(shot, new Date('2026-11-27T21:45:00Z'), new Date('2026-11-27T21:45:00Z'))
    const receipt = file('receipt.txt', 'Gift card 1234-5678')

    const entry = await store.add(input(), [shot, receipt])

    expect(entry.id).toBe('0000000a')
    expect(entry.attachments).toEqual([
      {
        id: 'a1',
        name: 'chat 1.png',
        file: 'a1-chat 1.png',
        size: png.length,
        modifiedAt: '2026-11-27T21:45:00.000Z',
        addedAt: entry.createdAt,
        sha256: sha256(png),
      },
      expect.objectContaining({ id: 'a2', name: 'receipt.txt', sha256: sha256('Gift card 1234-5678') }),
    ])
    // The originals are still there, unchanged; the copies are byte-for-byte the same.
    expect(readFileSync(shot)).toEqual(png)
    expect(readFileSync(store.filePath(entry, entry.attachments[0]!))).toEqual(png)
    expect(store.list()).toEqual({ entries: [entry], damaged: [] })
    expect(entry.payments).toEqual([
      { kind: 'asked', amount: '200', currency: 'GBP', method: 'gift card', reference: '' },
    ])
  })

  it('keeps everything private: folders 0700, files 0600', async () => {
    const { store, file, data } = setup()
    const shot = file('a.png', 'x')
    await store.add(input(), [shot])
    const tree = snapshotTree(join(data, 'evidence'))
    const kinds = Object.entries(tree).map(([path, what]) => [path, what.split(' ').slice(0, 2).join(' ')])
    expect(kinds).toEqual([
      ['.', 'dir 700'],
      ['damaged', 'dir 700'],
      ['entries', 'dir 700'],
      ['entries/0000000a.json', 'file 600'],
      ['files', 'dir 700'],
      ['files/0000000a', 'dir 700'],
      ['files/0000000a/a1-a.png', 'file 600'],
    ])
  })

  it('writes entries atomically: a rewrite replaces the file whole, and a half-written temp file is ignored', async () => {
    const { store, data } = setup()
    const entry = await store.add(input())
    const path = join(data, 'evidence/entries/0000000a.json')
    const before = statSync(path).ino
    await store.update(entry.id, input({ notes: 'more' }))
    // A new inode: the new content was written beside it and renamed over it, never written in place.
    expect(statSync(path).ino).not.toBe(before)
    expect(readdirSync(join(data, 'evidence/entries'))).toEqual(['0000000a.json'])
    // What a crash in the middle of a write leaves behind is not an entry and not damage.
    writeFileSync(`${path}.123.456.tmp`, '{"id": "0000000a", "at"')
    expect(store.list().entries.map((e) => e.notes)).toEqual(['more'])
    expect(store.list().damaged).toEqual([])
  })

  it('moves a damaged entry aside, keeps it byte for byte, reports it, and still reads the rest', async () => {
    const { store, data } = setup()
    const good = await store.add(input())
    const entries = join(data, 'evidence/entries')
    writeFileSync(join(entries, '0badc0de.json'), '{"id": "0badc0de", "at": "2026-11-2')
    writeFileSync(
      join(entries, '0000abcd.json'),
      JSON.stringify({ ...good, id: '0000abcd', at: 'yesterday' }),
    )
    writeFileSync(join(entries, '0000beef.json'), JSON.stringify({ ...good })) // id does not match its name

    const first = store.list()
    expect(first.entries.map((e) => e.id)).toEqual([good.id])
    expect(first.damaged).toHaveLength(3)
    expect(first.damaged.map((d) => d.reason).sort()).toEqual([
      'at: must be a date and time like 2026-11-28T14:30:00Z',
      'its id does not match its file name',
      'not valid JSON',
    ])
    const kept = first.damaged.find((d) => d.reason === 'not valid JSON')!
    expect(kept.path).toMatch(/evidence\/damaged\/0badc0de\.damaged-.*\.json$/)
    expect(readFileSync(kept.path, 'utf8')).toBe('{"id": "0badc0de", "at": "2026-11-2')
    expect(mode(join(data, 'evidence/damaged'))).toBe(0o700)
    // Still reported later (kept, not forgotten), and nothing was lost.
    expect(
      store
        .list()
        .damaged.map((d) => d.path)
        .sort(),
    ).toEqual(first.damaged.map((d) => d.path).sort())
    expect(readdirSync(entries)).toEqual([`${good.id}.json`])
  })

  it('refuses bad input before writing anything', async () => {
    const { store, data, file, src } = setup()
    await store.add(input(), [file('one.txt', '1')])
    const before = snapshotTree(data)
    const cases: [Parameters<EvidenceStore['add']>, RegExp][] = [
      [[input(), [join(src, 'missing.png')]], /there is no file .*missing\.png/],
      [[input(), [file('ok.txt', 'ok'), join(src, 'missing.png')]], /there is no file/],
      [[input(), [src]], /is not a file \(it is a folder/],
      [[input({ at: 'last week' }), []], /^at: must be a date and time/],
      [[input({ accounts: ['a\u001b[2Jb'] }), []], /account name contains control characters/],
      [[input({ payments: [{ kind: 'paid', amount: 'lots' }] }), []], /amount must be a number/],
      [[input({ colour: 'red' }), []], /Unrecognized key/i],
    ]
    for (const [args, message] of cases) {
      await expect(store.add(...args)).rejects.toThrow(message)
      await expect(store.add(...args)).rejects.toBeInstanceOf(EvidenceInputError)
    }
    // ok.txt was created by the test in src, not in the store.
    expect(snapshotTree(data)).toEqual(before)
  })

  it('edits an entry: new words, files added and removed', async () => {
    const { store, file } = setup()
    const entry = await store.add(input(), [file('a.txt', 'A'), file('b.txt', 'B')])
    const updated = await store.update(entry.id.slice(0, 4), input({ app: 'Snapchat', accounts: [] }), {
      addFiles: [file('c.txt', 'C')],
      removeAttachments: ['a1'],
    })
    expect(updated.id).toBe(entry.id)
    expect(updated.app).toBe('Snapchat')
    expect(updated.createdAt).toBe(entry.createdAt)
    expect(updated.updatedAt > entry.updatedAt).toBe(true)
    expect(updated.attachments.map((a) => [a.id, a.name])).toEqual([
      ['a2', 'b.txt'],
      ['a3', 'c.txt'],
    ])
    expect(readdirSync(join(store.filesDir, entry.id)).sort()).toEqual(['a2-b.txt', 'a3-c.txt'])
    await expect(store.update(entry.id, input(), { removeAttachments: ['a9'] })).rejects.toThrow(
      /has no attachment "a9"/,
    )
  })

  it('finds entries by id or unique prefix; says so when there is none or several', async () => {
    const { store } = setup(['abc00001', 'abc00002', 'def00003'])
    await store.add(input())
    await store.add(input())
    await store.add(input())
    expect(store.get('def').id).toBe('def00003')
    expect(() => store.get('abc')).toThrow(/could be abc00001, abc00002/)
    expect(() => store.get('99999999')).toThrow(/there is no evidence entry "99999999"/)
  })

  it('lists entries by the time they happened, not the order they were written', async () => {
    const { store } = setup()
    await store.add(input({ at: '2026-11-28T10:00:00Z' }))
    await store.add(input({ at: '2026-11-20T10:00:00Z' }))
    await store.add(input({ at: '2026-11-25T10:00:00Z' }))
    expect(store.list().entries.map((e) => e.at.slice(0, 10))).toEqual([
      '2026-11-20',
      '2026-11-25',
      '2026-11-28',
    ])
  })

  it('deletes one entry with its files, or everything', async () => {
    const { store, file, data } = setup()
    const a = await store.add(input(), [file('a.txt', 'A')])
    await store.add(input(), [file('b.txt', 'B'), file('c.txt', 'C')])
    writeFileSync(join(store.entriesDir, '0badc0de.json'), 'not json')
    store.list()
    expect(store.delete(a.id).id).toBe(a.id)
    expect(readdirSync(store.filesDir)).toEqual(['0000000b'])
    expect(store.deleteAll()).toEqual({ entries: 2, files: 2 })
    expect(store.list()).toEqual({ entries: [], damaged: [] })
    expect(readdirSync(join(data, 'evidence'))).toEqual([])
  })

  it('never keeps half an entry: a file that fails while being copied leaves the notebook as it was', async () => {
    const { store, data, file } = setup()
    await store.add(input(), [file('first.txt', '1')])
    const before = snapshotTree(data)
    // /proc/self/mem passes every check (a readable regular file) but reading it from the start fails (EIO),
    // after ok.txt has already been copied in.
    await expect(store.add(input(), [file('ok.txt', 'ok'), '/proc/self/mem'])).rejects.toThrow(
      /a file could not be copied into the notebook/,
    )
    expect(snapshotTree(data)).toEqual(before)
  })
})
