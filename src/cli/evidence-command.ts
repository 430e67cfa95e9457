import { Command, InvalidArgumentError } from 'commander'
import {
  describePayment,
  evidenceTimeFormat,
  formatBytes,
  parseDayBound,
  parseEvidenceTime,
  parsePaymentText,
  type EvidenceEntry,
  type EvidenceInputDraft,
  type Payment,
  type PaymentKind,
} from '../shared/evidence.js'
import { terminalJson, visibleText } from '../shared/escape.js'
import { ActivityLog } from '../core/activity-log.js'
import { EvidenceInputError, EvidenceStore, exportEvidence } from '../core/evidence/index.js'
import { UsageError } from './errors.js'
import { collect } from './parse.js'
import { plural } from '../shared/words.js'

export interface EvidenceCommandDeps {
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
  /** The data directory (from --data-dir, CAMGUARD_DATA_DIR or the default). */
  dataDir: () => string
  now?: () => Date
  version: string
}

/** The guide's rule, said before anything else: the same words as the window's. */
export const SAFETY_RULE =
  'Never add sexual images, especially of anyone under 18, even of yourself: describe them in words instead.'

/** What a person typed, safe for the terminal, one line of it at a time. */
const shown = (text: string): string => visibleText(text)
const lines = (text: string): string[] => text.split(/\r?\n/).map(shown)

// Made on first use: an Intl formatter loads ICU's data, megabytes that `camguard watch`, which
// loads this module too, should not carry all day.
let format: ((iso: string) => string) | null = null
const when = (iso: string): string => (format ??= evidenceTimeFormat())(iso)

function summaryLine(e: EvidenceEntry): string {
  const who = e.accounts.length ? `  ${e.accounts.map(shown).join(', ')}` : ''
  return `${e.id}  ${when(e.at)}  ${e.app ? shown(e.app) : '(no app given)'}${who}  ${plural(e.attachments.length, 'file')}`
}

function details(e: EvidenceEntry, filePath: (a: EvidenceEntry['attachments'][number]) => string): string[] {
  const block = (label: string, text: string) =>
    text ? [`${label}:`, ...lines(text).map((l) => `  ${l}`)] : [`${label}: (none)`]
  const list = (label: string, items: string[]) =>
    items.length ? [`${label}:`, ...items.map((i) => `  ${shown(i)}`)] : [`${label}: (none)`]
  return [
    `Entry ${e.id}`,
    `When: ${when(e.at)}`,
    `App or site: ${e.app ? shown(e.app) : '(none)'}`,
    ...list('Their account names', e.accounts),
    ...list('Profile links', e.links),
    ...block('What they said or demanded', e.demand),
    ...list('Payments', e.payments.map(describePayment)),
    ...block('Notes', e.notes),
    e.attachments.length ? 'Files:' : 'Files: (none)',
    ...e.attachments.map(
      (a) =>
        `  ${shown(a.name)}  ${formatBytes(a.size)}  file time ${when(a.modifiedAt)}\n    SHA-256 ${a.sha256}\n    kept as ${shown(filePath(a))}`,
    ),
    `Written ${when(e.createdAt)}${e.updatedAt !== e.createdAt ? `, changed ${when(e.updatedAt)}` : ''}`,
  ]
}

interface AddOptions {
  at?: string
  app?: string
  account?: string[]
  link?: string[]
  demand?: string[]
  asked?: Payment[]
  paid?: Payment[]
  note?: string[]
  file?: string[]
}

/** `camguard evidence ...`: the evidence notebook from the terminal. */
export function evidenceCommand(deps: EvidenceCommandDeps): Command {
  const now = deps.now ?? (() => new Date())
  const say = (t: string) => deps.out.write(t + '\n')
  const warn = (t: string) => deps.err.write(`camguard: ${t}\n`)
  const store = () => new EvidenceStore(deps.dataDir(), { now })
  /** A problem with what was asked is a usage error: one line, exit 2, nothing written. */
  const checked = async <T>(fn: () => T | Promise<T>): Promise<T> => {
    try {
      return await fn()
    } catch (err) {
      if (err instanceof EvidenceInputError) throw new UsageError(err.message)
      throw err
    }
  }
  const reportDamaged = (s: EvidenceStore) => {
    const { damaged } = s.list()
    if (damaged.length)
      warn(
        `${plural(damaged.length, 'entry', 'entries')} could not be read and ${damaged.length === 1 ? 'was' : 'were'} moved aside, kept in ${shown(s.damagedDir)}.`,
      )
  }
  const payment = (kind: PaymentKind) => (raw: string, previous: Payment[] | undefined) => {
    const parsed = parsePaymentText(raw, kind)
    if (!parsed.ok) throw new InvalidArgumentError(parsed.error)
    return [...(previous ?? []), parsed.value]
  }
  const day = (bound: 'start' | 'end') => (raw: string) => {
    const parsed = parseDayBound(raw, bound)
    if (!parsed.ok) throw new InvalidArgumentError(parsed.error)
    return parsed.value
  }

  const evidence = new Command('evidence').description(
    `keep what happened in one private place, and export it as one report for the police or a helpline. ${SAFETY_RULE}`,
  )

  evidence
    .command('add')
    .description(`write down something that happened, and attach files (copied, never moved). ${SAFETY_RULE}`)
    .option(
      '--at <time>',
      'when it happened: "2026-11-28 14:30", a date alone, or "now" (the default)',
      (raw) => {
        const parsed = parseEvidenceTime(raw, now())
        if (!parsed.ok) throw new InvalidArgumentError(parsed.error)
        return parsed.value
      },
    )
    .option('--app <name>', 'the app or website where it happened')
    .option('--account <name>', "the offender's account or display name (repeatable)", collect)
    .option('--link <url>', "a link to the offender's profile (repeatable)", collect)
    .option('--demand <text>', 'what they said or demanded (repeatable: one line each)', collect)
    .option(
      '--asked <payment>',
      'what they asked for: "AMOUNT [CURRENCY][, METHOD][, ref REFERENCE]", e.g. "500 GBP, bitcoin" (repeatable)',
      payment('asked'),
    )
    .option(
      '--paid <payment>',
      'what was paid, the same way, e.g. "200 GBP, gift card, ref 123" (repeatable)',
      payment('paid'),
    )
    .option('--note <text>', 'anything else worth keeping (repeatable: one line each)', collect)
    .option(
      '--file <path...>',
      'files to attach: screenshots, saved chats, receipts (copied into the notebook)',
    )
    .action(async (opts: AddOptions) => {
      const input: EvidenceInputDraft = {
        at: opts.at ?? now().toISOString(),
        app: opts.app ?? '',
        accounts: opts.account ?? [],
        links: opts.link ?? [],
        demand: (opts.demand ?? []).join('\n'),
        payments: [...(opts.asked ?? []), ...(opts.paid ?? [])],
        notes: (opts.note ?? []).join('\n'),
      }
      const s = store()
      const entry = await checked(() => s.add(input, opts.file ?? []))
      say(
        `Saved entry ${entry.id} (${when(entry.at)}) with ${plural(entry.attachments.length, 'file')}. It is kept on this computer only.`,
      )
      for (const a of entry.attachments) say(`  ${shown(a.name)}  SHA-256 ${a.sha256}`)
      say(
        `See it with "camguard evidence show ${entry.id}"; export everything with "camguard evidence export --out DIR".`,
      )
      if (entry.attachments.length) say(SAFETY_RULE)
    })

  evidence
    .command('list')
    .description('list the entries, oldest first')
    .option('--json', 'print the entries as a JSON array')
    .action(async (opts: { json?: boolean }) => {
      const s = store()
      const { entries } = s.list()
      reportDamaged(s)
      if (opts.json) say(terminalJson(entries))
      else if (entries.length === 0)
        say('The evidence notebook is empty. Add an entry with "camguard evidence add".')
      else for (const e of entries) say(summaryLine(e))
    })

  evidence
    .command('show')
    .description('show one entry in full, with its files and their SHA-256')
    .argument('<id>', 'the entry id (or its first few characters) from "camguard evidence list"')
    .action(async (id: string) => {
      const s = store()
      const entry = await checked(() => s.get(id))
      for (const l of details(entry, (a) => s.filePath(entry, a))) say(l)
    })

  evidence
    .command('export')
    .description(
      'make a folder with a printable report (report.html), the attached files and manifest.json (SHA-256 of every file)',
    )
    .requiredOption('--out <dir>', 'the folder to make; it must not exist yet, or be empty')
    .option('--zip', 'also make DIR.zip of the folder')
    .option('--from <date>', 'only entries from this day on (2026-11-20)', day('start'))
    .option('--to <date>', 'only entries up to the end of this day', day('end'))
    .action(async (opts: { out: string; zip?: boolean; from?: Date; to?: Date }) => {
      if (opts.from && opts.to && opts.from > opts.to)
        throw new UsageError('--from is after --to; give the earlier day first')
      const dir = deps.dataDir()
      const s = store()
      const result = await checked(() =>
        exportEvidence(s, {
          out: opts.out,
          zip: opts.zip ?? false,
          from: opts.from ?? null,
          to: opts.to ?? null,
          now: now(),
          version: deps.version,
          sessions: () => new ActivityLog(dir).read().sessions,
        }),
      )
      reportDamaged(s)
      for (const p of result.problems) warn(shown(p))
      say(
        `Exported ${plural(result.entries, 'entry', 'entries')}, ${plural(result.attachments, 'file')} and ${plural(result.sessions, 'camera or microphone session')} to ${shown(result.dir)}`,
      )
      say('  report.html    the report: open it in a web browser to read, print or save it as PDF')
      say('  attachments/   the attached files, unchanged')
      say('  manifest.json  the SHA-256 of every file, so anyone can check that nothing changed')
      if (result.zip) say(`And a zip of the folder: ${shown(result.zip)}`)
    })

  evidence
    .command('delete')
    .description('delete one entry and its files, or everything with --all --yes (cannot be undone)')
    .argument('[id]', 'the entry id')
    .option('--all', 'delete every entry and every attached file')
    .option('--yes', 'confirm --all')
    .action(async (id: string | undefined, opts: { all?: boolean; yes?: boolean }) => {
      const s = store()
      if (opts.all) {
        if (id) throw new UsageError('give an id or --all, not both')
        if (!opts.yes)
          throw new UsageError(
            'this deletes every entry and every attached file and cannot be undone; add --yes to do it',
          )
        const { entries, files } = s.deleteAll()
        say(
          `Deleted ${plural(entries, 'entry', 'entries')} and ${plural(files, 'file')}. This cannot be undone.`,
        )
        return
      }
      if (!id)
        throw new UsageError('say which entry to delete (camguard evidence delete ID), or use --all --yes')
      const entry = await checked(() => s.delete(id))
      say(`Deleted entry ${entry.id} and ${plural(entry.attachments.length, 'file')}.`)
    })

  return evidence
}
