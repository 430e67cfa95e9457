import { createHash } from 'node:crypto'
import {
  describePayment,
  evidenceTimeFormat,
  formatBytes,
  type Attachment,
  type EvidenceEntry,
} from '../../shared/evidence.js'
import { NO_APP, capitalize, deviceName, formatDuration, reasonWords } from '../../shared/words.js'
import type { DeviceSession } from './sessions.js'

/** One attached file as exported: where it is in the folder and whether it still matches its hash. */
export interface ExportedAttachment {
  entryId: string
  attachment: Attachment
  /** Path inside the export folder ("attachments/3f9a01c2-a1-chat.png"); null when it was missing. */
  path: string | null
  /** 'ok': the copy's SHA-256 is the one recorded when it was added. */
  status: 'ok' | 'changed' | 'missing'
  /** The SHA-256 of the exported copy (the recorded one when missing). */
  sha256: string
}

export interface ReportInput {
  entries: readonly EvidenceEntry[]
  sessions: readonly DeviceSession[]
  attachments: readonly ExportedAttachment[]
  generatedAt: Date
  version: string
  from: Date | null
  to: Date | null
  /** Entries that could not be read and are therefore not in the report. */
  damaged: number
  /** IANA zone for the times shown; the computer's own by default. */
  timeZone?: string
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const h = escapeHtml
/** Untrusted text (names from other programs, what the offender wrote) isolated from the text around it. */
const bdi = (value: string): string => `<bdi>${h(value)}</bdi>`

function timeFormat(timeZone: string | undefined): (iso: string) => string {
  const format = evidenceTimeFormat({ offset: true, ...(timeZone ? { timeZone } : {}) })
  return (iso) => {
    const d = new Date(iso)
    return Number.isNaN(d.getTime())
      ? h(iso)
      : `<time datetime="${h(d.toISOString())}">${h(format(iso))}</time>`
  }
}

const STYLE = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #b8b8b8; --own: #e8f0fb; --own-ink: #123e7a; --warn: #8a1c00; }
* { box-sizing: border-box; }
html { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: #fff; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.15rem; margin: 1.25rem 0 .4rem; }
h4 { font-size: 1rem; margin: .75rem 0 .25rem; }
p, ul, ol, dl { margin: .4rem 0; }
a { color: #0b4fa8; }
.meta { color: var(--muted); margin: .2rem 0; }
.box { border: 1px solid var(--line); border-left: 6px solid var(--own-ink); background: var(--own); padding: .6rem .9rem; margin: 1rem 0; }
.warn { color: var(--warn); font-weight: 600; }
table { width: 100%; border-collapse: collapse; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; border: 1px solid var(--line); padding: .35rem .5rem; }
th { background: #f0f0f0; }
tr.own td { background: var(--own); }
.tag { display: inline-block; font-size: .8rem; font-weight: 600; padding: 0 .4rem; border-radius: .3rem; border: 1px solid currentColor; white-space: nowrap; }
.tag-own { color: var(--own-ink); background: #fff; }
.tag-entry { color: #3d3d3d; background: #fff; }
.hash, code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85rem; overflow-wrap: anywhere; word-break: break-all; }
dl.fields { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: .25rem 1rem; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
article.entry { border: 1px solid var(--line); border-radius: .4rem; padding: .25rem 1rem .75rem; margin: 1rem 0; }
.contents li { margin: .15rem 0; }
footer { margin-top: 2rem; color: var(--muted); font-size: .9rem; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  html { font-size: 11pt; }
  body { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; }
  tr, article.entry, .box, dl.fields > * { break-inside: avoid; }
  thead { display: table-header-group; }
  th, tr.own td, .box { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`.trim()

/** The CSP lets in exactly this style sheet (by its hash) and nothing else: no scripts, no remote content. */
export function reportPolicy(style: string = STYLE): string {
  const hash = createHash('sha256').update(style).digest('base64')
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; base-uri 'none'; form-action 'none'`
}

function deviceWord(s: DeviceSession): string {
  return capitalize(deviceName(s.kind))
}

function sessionApps(s: DeviceSession): string {
  if (s.apps.length === 0) return NO_APP
  return s.apps
    .map(
      (a) =>
        `${bdi(a.name)}${a.pid !== null ? ` (process ${a.pid})` : ''}${a.exe ? `<br><code>${bdi(a.exe)}</code>` : ''}`,
    )
    .join('<br>')
}

function sessionLength(s: DeviceSession): string {
  if (s.durationMs !== null) return h(formatDuration(s.durationMs))
  return s.end === null ? 'not recorded (still on, or CamGuard was stopped)' : 'unknown'
}

function sessionFlag(s: DeviceSession): string {
  const why = s.reasons.map((r) => reasonWords(r, 'because', { kind: s.kind })).join('; ')
  return s.unexpected ? `Unexpected${why ? `: ${h(why)}` : ''}` : 'Expected'
}

function entryHeading(index: number, e: EvidenceEntry, when: (iso: string) => string): string {
  return `Entry ${index + 1}: ${when(e.at)}${e.app ? ` — ${bdi(e.app)}` : ''}`
}

function list(items: readonly string[], render: (s: string) => string = bdi): string {
  return items.length
    ? `<ul>${items.map((i) => `<li>${render(i)}</li>`).join('')}</ul>`
    : '<p>None given.</p>'
}

function entryArticle(
  e: EvidenceEntry,
  index: number,
  files: readonly ExportedAttachment[],
  when: (iso: string) => string,
): string {
  const field = (label: string, value: string): string => `<dt>${label}</dt><dd>${value}</dd>`
  const attached = files.length
    ? `<ul>${files.map((f) => `<li>${fileLink(f)} — ${h(formatBytes(f.attachment.size))}${statusNote(f)}</li>`).join('')}</ul>`
    : '<p>No files attached.</p>'
  return `<article class="entry" id="entry-${h(e.id)}" aria-labelledby="entry-${h(e.id)}-h">
<h3 id="entry-${h(e.id)}-h">${entryHeading(index, e, when)}</h3>
<dl class="fields">
${field('When it happened', when(e.at))}
${field('App or site', e.app ? bdi(e.app) : 'Not given')}
${field('Their account names', list(e.accounts))}
${field(
  'Profile links',
  list(e.links, (l) => `<code>${bdi(l)}</code>`),
)}
${field('What they said or demanded', e.demand ? `<div class="text">${bdi(e.demand)}</div>` : 'Not given')}
${field('Payments', e.payments.length ? `<ul>${e.payments.map((p) => `<li>${bdi(describePayment(p))}</li>`).join('')}</ul>` : 'None recorded')}
${field('Notes', e.notes ? `<div class="text">${bdi(e.notes)}</div>` : 'None')}
${field('Entry id', `<code>${h(e.id)}</code> (written ${when(e.createdAt)}${e.updatedAt !== e.createdAt ? `, last changed ${when(e.updatedAt)}` : ''})`)}
</dl>
<h4>Attached files</h4>
${attached}
</article>`
}

function fileLink(f: ExportedAttachment): string {
  return f.path ? `<a href="${h(encodeURI(f.path))}">${bdi(f.attachment.name)}</a>` : bdi(f.attachment.name)
}

function statusNote(f: ExportedAttachment): string {
  if (f.status === 'changed')
    return ` <span class="warn">— this copy no longer matches the SHA-256 recorded when it was added (${h(f.attachment.sha256)})</span>`
  if (f.status === 'missing')
    return ' <span class="warn">— missing: the copy in the notebook could not be found</span>'
  return ''
}

type TimelineRow = { at: string; html: string }

function timeline(
  entries: readonly EvidenceEntry[],
  sessions: readonly DeviceSession[],
  when: (iso: string) => string,
): string {
  const rows: TimelineRow[] = [
    ...entries.map((e, i) => ({
      at: e.at,
      html: `<tr><td>${when(e.at)}</td><td><span class="tag tag-entry">Entry</span></td><td><a href="#entry-${h(e.id)}">Entry ${i + 1}</a>${e.app ? `: ${bdi(e.app)}` : ''}${e.accounts.length ? ` — ${e.accounts.map(bdi).join(', ')}` : ''}${e.payments.length ? `<br>${e.payments.map((p) => bdi(describePayment(p))).join('<br>')}` : ''}</td></tr>`,
    })),
    ...sessions.map((s) => ({
      at: s.start,
      html: `<tr class="own"><td>${when(s.start)}</td><td><span class="tag tag-own">CamGuard's own record</span></td><td>${deviceWord(s)} on for ${sessionLength(s)}, used by ${sessionApps(s)}. ${sessionFlag(s)}.</td></tr>`,
    })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
  return `<table>
<caption class="meta">Entries written by the person, and CamGuard's own records of the camera and microphone, in time order.</caption>
<thead><tr><th scope="col">When</th><th scope="col">Source</th><th scope="col">What</th></tr></thead>
<tbody>${rows.map((r) => r.html).join('\n')}</tbody>
</table>`
}

function sessionsTable(sessions: readonly DeviceSession[], when: (iso: string) => string): string {
  if (sessions.length === 0)
    return '<p>CamGuard recorded no camera or microphone use on these days (or was not running then).</p>'
  return `<table>
<thead><tr><th scope="col">Device</th><th scope="col">On from</th><th scope="col">Off at</th><th scope="col">Length</th><th scope="col">Used by</th><th scope="col">Expected?</th></tr></thead>
<tbody>${sessions
    .map(
      (s) =>
        `<tr class="own"><td>${deviceWord(s)}</td><td>${when(s.start)}</td><td>${s.end ? when(s.end) : '—'}</td><td>${sessionLength(s)}</td><td>${sessionApps(s)}</td><td>${sessionFlag(s)}</td></tr>`,
    )
    .join('\n')}</tbody>
</table>`
}

function attachmentsTable(
  files: readonly ExportedAttachment[],
  numberOf: Map<string, number>,
  when: (iso: string) => string,
): string {
  if (files.length === 0) return '<p>No files are attached to these entries.</p>'
  return `<table>
<thead><tr><th scope="col">File</th><th scope="col">Entry</th><th scope="col">Size</th><th scope="col">File time</th><th scope="col">SHA-256</th></tr></thead>
<tbody>${files
    .map(
      (f) =>
        `<tr><td>${fileLink(f)}${f.path ? `<br><code>${h(f.path)}</code>` : ''}${statusNote(f)}</td><td><a href="#entry-${h(f.entryId)}">Entry ${numberOf.get(f.entryId) ?? '?'}</a></td><td>${h(formatBytes(f.attachment.size))}<br>(${f.attachment.size} bytes)</td><td>${when(f.attachment.modifiedAt)}</td><td><code class="hash">${h(f.sha256)}</code></td></tr>`,
    )
    .join('\n')}</tbody>
</table>`
}

function summary(input: ReportInput, when: (iso: string) => string): string {
  const { entries } = input
  const unique = (values: string[]) => [...new Set(values.filter(Boolean))]
  const first = entries[0]
  const last = entries[entries.length - 1]
  const accounts = unique(entries.flatMap((e) => e.accounts))
  const apps = unique(entries.map((e) => e.app))
  const payments = entries.flatMap((e) => e.payments)
  return `<dl class="fields">
<dt>Entries</dt><dd>${entries.length}${first && last ? `, from ${when(first.at)} to ${when(last.at)}` : ''}</dd>
<dt>Apps or sites</dt><dd>${apps.length ? apps.map(bdi).join(', ') : 'None given'}</dd>
<dt>Their account names</dt><dd>${accounts.length ? accounts.map(bdi).join(', ') : 'None given'}</dd>
<dt>Payments</dt><dd>${payments.length ? `<ul>${payments.map((p) => `<li>${bdi(describePayment(p))}</li>`).join('')}</ul>` : 'None recorded'}</dd>
<dt>Attached files</dt><dd>${input.attachments.length}</dd>
<dt>CamGuard's own records</dt><dd>${input.sessions.length} camera or microphone ${input.sessions.length === 1 ? 'session' : 'sessions'} on the days of the entries</dd>
</dl>`
}

/** The report as one self-contained HTML page: inline style (allowed by hash), no scripts, nothing remote. */
export function buildReport(input: ReportInput): string {
  const when = timeFormat(input.timeZone)
  const numberOf = new Map(input.entries.map((e, i) => [e.id, i + 1]))
  const range =
    input.from || input.to
      ? `Only entries ${input.from ? `from ${when(input.from.toISOString())}` : ''}${input.from && input.to ? ' ' : ''}${input.to ? `up to ${when(input.to.toISOString())}` : ''} are included.`
      : 'Every entry in the notebook is included.'
  const damaged = input.damaged
    ? `<p class="warn">${input.damaged} ${input.damaged === 1 ? 'entry' : 'entries'} of the notebook could not be read and ${input.damaged === 1 ? 'is' : 'are'} not in this report; ${input.damaged === 1 ? 'it is' : 'they are'} kept on the computer.</p>`
    : ''
  const sections: [string, string, string][] = [
    ['summary', 'Summary', summary(input, when)],
    ['timeline', 'Timeline', timeline(input.entries, input.sessions, when)],
    [
      'entries',
      'Entries',
      input.entries.length
        ? input.entries
            .map((e, i) =>
              entryArticle(
                e,
                i,
                input.attachments.filter((f) => f.entryId === e.id),
                when,
              ),
            )
            .join('\n')
        : '<p>No entries.</p>',
    ],
    [
      'sessions',
      'Camera and microphone sessions (CamGuard\u2019s own records)',
      `<div class="box"><p>These were recorded automatically by CamGuard on this computer while it was running, not written by the person: when a camera or microphone was on, which app used it, and whether CamGuard expected it. They cover the days of the entries.</p></div>${sessionsTable(input.sessions, when)}`,
    ],
    ['files', 'Attached files', attachmentsTable(input.attachments, numberOf, when)],
    [
      'checking',
      'How to check that nothing was changed',
      `<p>The file <code>manifest.json</code> in this folder lists every file with its size and SHA-256 hash, including this report. Anyone can compute a file's hash again and compare it; if one character of a file changes, its hash changes completely.</p>
<ul>
<li>Linux: <code>sha256sum FILE</code></li>
<li>macOS: <code>shasum -a 256 FILE</code></li>
<li>Windows: <code>certutil -hashfile FILE SHA256</code></li>
</ul>
<p>The hashes of the attached files are also shown in this report, above. Each was recorded when the file was added to the notebook.</p>`,
    ],
  ]
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${reportPolicy()}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Evidence report</h1>
<p class="meta">Made ${when(input.generatedAt.toISOString())} with CamGuard ${bdi(input.version)}, from the evidence notebook kept on this computer. ${range}</p>
<p>Entries were written by the person who kept this notebook. Files were copied in unchanged when they were added. Camera and microphone sessions are CamGuard's own records and are marked as such. Profile links are shown as text, not as links.</p>
${damaged}
</header>
<nav aria-labelledby="contents">
<h2 id="contents">Contents</h2>
<ol class="contents">${sections.map(([id, title]) => `<li><a href="#${id}">${h(title)}</a></li>`).join('')}</ol>
</nav>
<main>
${sections.map(([id, title, body]) => `<section id="${id}" aria-labelledby="${id}-h">\n<h2 id="${id}-h">${h(title)}</h2>\n${body}\n</section>`).join('\n')}
</main>
<footer><p>End of report. ${input.entries.length} ${input.entries.length === 1 ? 'entry' : 'entries'}, ${input.attachments.length} attached ${input.attachments.length === 1 ? 'file' : 'files'}, ${input.sessions.length} ${input.sessions.length === 1 ? 'session' : 'sessions'} recorded by CamGuard.</p></footer>
</body>
</html>
`
}
