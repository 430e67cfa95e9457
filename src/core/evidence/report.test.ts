import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { EvidenceEntry } from '../../shared/evidence.js'
import { activitySession } from '../../../tests/support/sessions.js'
import { buildReport, reportPolicy, type ExportedAttachment, type ReportInput } from './report.js'
import type { DeviceSession } from './sessions.js'

const EVIL = `<script>alert(1)</script>"><img src=x onerror=alert(2)>&amp;'\u202eexe.png`

const entry = (id: string, at: string, over: Partial<EvidenceEntry> = {}): EvidenceEntry => ({
  id,
  at,
  app: 'Instagram',
  accounts: ['lucy_x_2009'],
  links: ['https://instagram.com/lucy_x_2009'],
  demand: 'Pay 200 GBP\nor I send it to your friends',
  payments: [{ kind: 'paid', amount: '50', currency: 'GBP', method: 'Steam gift card', reference: 'X12' }],
  notes: '',
  attachments: [],
  createdAt: '2026-11-28T15:00:00.000Z',
  updatedAt: '2026-11-28T15:00:00.000Z',
  ...over,
})

const session = (id: string, start: string, minutes: number, over: Partial<DeviceSession> = {}) =>
  activitySession(id, start, minutes, over)

const attachment = (entryId: string, status: ExportedAttachment['status'] = 'ok'): ExportedAttachment => ({
  entryId,
  attachment: {
    id: 'a1',
    name: 'chat.png',
    file: 'a1-chat.png',
    size: 2048,
    modifiedAt: '2026-11-27T21:45:00.000Z',
    addedAt: '2026-11-28T15:00:00.000Z',
    sha256: 'a'.repeat(64),
  },
  path: status === 'missing' ? null : `attachments/${entryId}-a1-chat.png`,
  status,
  sha256: status === 'changed' ? 'b'.repeat(64) : 'a'.repeat(64),
})

const report = (over: Partial<ReportInput> = {}) =>
  buildReport({
    entries: [entry('0000000a', '2026-11-27T21:40:00.000Z'), entry('0000000b', '2026-11-28T09:05:00.000Z')],
    sessions: [
      session('s1', '2026-11-27T21:30:00.000Z', 12),
      session('s2', '2026-11-28T08:00:00.000Z', 3, { kind: 'microphone', unexpected: false, reasons: [] }),
    ],
    attachments: [attachment('0000000a')],
    generatedAt: new Date('2026-11-28T16:00:00.000Z'),
    version: '0.1.0',
    from: null,
    to: null,
    damaged: 0,
    timeZone: 'Europe/London',
    ...over,
  })

const textOf = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')

describe('buildReport', () => {
  it('has a contents list pointing at every section', () => {
    const html = report()
    const contents = /<ol class="contents">(.*?)<\/ol>/.exec(html)![1]!
    const targets = [...contents.matchAll(/href="#([^"]+)"/g)].map((m) => m[1])
    expect(targets).toEqual(['summary', 'timeline', 'entries', 'sessions', 'files', 'checking'])
    for (const id of targets) expect(html).toContain(`<section id="${id}"`)
  })

  it('puts entries and CamGuard’s own records into one timeline, in time order, the records marked', () => {
    const html = report()
    const timeline = /<section id="timeline"[\s\S]*?<\/section>/.exec(html)![0]
    const rows = [...timeline.matchAll(/<tr( class="own")?><td><time datetime="([^"]+)"/g)].map((m) => [
      m[2],
      m[1] ? 'own' : 'entry',
    ])
    expect(rows).toEqual([
      ['2026-11-27T21:30:00.000Z', 'own'],
      ['2026-11-27T21:40:00.000Z', 'entry'],
      ['2026-11-28T08:00:00.000Z', 'own'],
      ['2026-11-28T09:05:00.000Z', 'entry'],
    ])
    expect(textOf(timeline)).toContain(
      "CamGuard's own record Camera on for 12 minutes, used by zoom (process 4242) /usr/bin/zoom . Unexpected: it is not an app you have marked as trusted.",
    )
    expect(textOf(timeline)).toContain("CamGuard's own record Microphone on for 3 minutes")
  })

  it('shows every field of every entry, payments in words, and times with their offset', () => {
    const text = textOf(report())
    expect(text).toContain('Entry 1: Fri, 27 Nov 2026, 21:40 GMT+0 — Instagram')
    expect(text).toContain('Entry 2: Sat, 28 Nov 2026, 09:05 GMT+0 — Instagram')
    expect(text).toContain('Paid 50 GBP by Steam gift card (reference X12)')
    expect(text).toContain('https://instagram.com/lucy_x_2009')
    expect(text).toContain('lucy_x_2009')
    expect(report()).toContain('<div class="text"><bdi>Pay 200 GBP\nor I send it to your friends</bdi></div>')
    expect(textOf(report({ timeZone: 'America/New_York' }))).toContain(
      'Entry 1: Fri, 27 Nov 2026, 16:40 GMT-5',
    )
  })

  it('lists attachments with their hashes, and says when a copy changed or is missing', () => {
    const html = report({
      attachments: [
        attachment('0000000a'),
        attachment('0000000b', 'changed'),
        attachment('0000000b', 'missing'),
      ],
    })
    const files = textOf(/<section id="files"[\s\S]*?<\/section>/.exec(html)![0])
    expect(files).toContain(`chat.png attachments/0000000a-a1-chat.png Entry 1 2.0 kB (2048 bytes)`)
    expect(files).toContain('a'.repeat(64))
    expect(files).toContain(`no longer matches the SHA-256 recorded when it was added (${'a'.repeat(64)})`)
    expect(files).toContain('b'.repeat(64))
    expect(files).toContain('missing: the copy in the notebook could not be found')
    expect(html).toContain('<a href="attachments/0000000a-a1-chat.png">')
  })

  it('escapes everything it shows: no markup from an entry, a file name or a process name gets through', () => {
    const evil = entry('0000000a', '2026-11-27T21:40:00.000Z', {
      app: EVIL,
      accounts: [EVIL],
      links: [`javascript:alert(3)//${EVIL}`],
      demand: EVIL,
      notes: EVIL,
      payments: [{ kind: 'asked', amount: '1', currency: EVIL.slice(0, 20), method: EVIL, reference: EVIL }],
    })
    const att = attachment('0000000a')
    att.attachment = { ...att.attachment, name: EVIL }
    const html = report({
      entries: [evil],
      attachments: [att],
      sessions: [
        session('s1', '2026-11-27T21:30:00.000Z', 1, {
          apps: [{ pid: 1, name: EVIL, exe: EVIL, evidence: 'open' }],
        }),
      ],
      version: EVIL,
    })
    // The only tags are the report's own: none from the text, and no handlers or script URLs in any tag.
    const tags = [...html.matchAll(/<\/?([a-z0-9]+)[^>]*>/gi)]
    expect(new Set(tags.map((t) => t[1]!.toLowerCase()))).not.toContain('script')
    expect(new Set(tags.map((t) => t[1]!.toLowerCase()))).not.toContain('img')
    for (const [tag] of tags) expect(tag).not.toMatch(/onerror|javascript:/i)
    expect(html).toContain(
      '&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#62;&#60;img src=x onerror=alert(2)&#62;&#38;amp;&#39;',
    )
    // Right-to-left overrides stay inside their own <bdi>, so they cannot reorder the text around them.
    expect(html.replace(/<bdi>[^<]*<\/bdi>/g, '')).not.toContain('\u202e')
    // Profile links are text, never links.
    expect(
      [...html.matchAll(/href="([^"]*)"/g)]
        .map((m) => m[1])
        .every((h) => h!.startsWith('#') || h!.startsWith('attachments/')),
    ).toBe(true)
  })

  it('is self-contained: a strict CSP that allows only its own style sheet, no scripts, nothing remote', () => {
    const html = report()
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!
    expect(policy).toBe(reportPolicy())
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!
    const hash = createHash('sha256').update(style).digest('base64')
    expect(policy).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; base-uri 'none'; form-action 'none'`,
    )
    expect(html.match(/<style>/g)).toHaveLength(1)
    expect(html).not.toMatch(/<script|<link|<iframe|<object|\sstyle=|\son[a-z]+=|@import|url\(/i)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i)
    expect(html).toMatch(/@page \{ size: A4;/)
    expect(html).toMatch(/@media print/)
  })

  it('says which entries are included and whether any could not be read', () => {
    const text = textOf(
      report({ from: new Date('2026-11-27T00:00:00Z'), to: new Date('2026-11-28T23:59:59Z'), damaged: 2 }),
    )
    expect(text).toContain(
      'Only entries from Fri, 27 Nov 2026, 00:00 GMT+0 up to Sat, 28 Nov 2026, 23:59 GMT+0 are included.',
    )
    expect(text).toContain('2 entries of the notebook could not be read and are not in this report')
    expect(textOf(report())).toContain('Every entry in the notebook is included.')
  })

  it('says plainly when CamGuard recorded nothing on those days', () => {
    expect(textOf(report({ sessions: [] }))).toContain(
      'CamGuard recorded no camera or microphone use on these days (or was not running then).',
    )
  })
})
