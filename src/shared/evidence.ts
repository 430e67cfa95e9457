import { z } from 'zod'

// The evidence notebook's data: one schema for the CLI, the main process and the window.
// Where it is kept: src/core/evidence/store.ts; how it is exported: src/core/evidence/export.ts.

/** Entry ids are short so that they can be typed: `camguard evidence show 3f9a01c2`. */
export const ENTRY_ID = /^[0-9a-f]{8}$/
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/

// Control characters (other than tab and newline) have no place in what a person types, and would
// let a pasted string move a terminal's cursor or hide text in the report.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

const text = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} is too long (at most ${max} characters)`)
    .refine((s) => !CONTROL.test(s), `${what} contains control characters`)
    .transform((s) => s.trim())

const line = (max: number, what: string) =>
  text(max, what).refine((s) => !/[\r\n]/.test(s), `${what} must be one line`)

export const isoTime = z
  .string()
  .regex(ISO_TIME, 'must be a date and time like 2026-11-28T14:30:00Z')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date')

export const PAYMENT_KINDS = ['asked', 'paid'] as const
export type PaymentKind = (typeof PAYMENT_KINDS)[number]

export const paymentSchema = z
  .object({
    /** 'asked': what the offender demanded; 'paid': what was actually paid. */
    kind: z.enum(PAYMENT_KINDS),
    /** Kept as written (no rounding): "200", "49.99", "0.0042". */
    amount: z
      .string()
      .trim()
      .regex(/^\d{1,15}(\.\d{1,10})?$/, 'amount must be a number like 200 or 49.99'),
    currency: line(20, 'currency').default(''),
    method: line(200, 'payment method').default(''),
    reference: line(300, 'payment reference').default(''),
  })
  .strict()
export type Payment = z.infer<typeof paymentSchema>

/** What a person writes about one thing that happened; the same for adding and editing. */
export const evidenceInputSchema = z
  .object({
    at: isoTime,
    app: line(200, 'app or site').default(''),
    accounts: z
      .array(line(300, 'account name').pipe(z.string().min(1)))
      .max(50)
      .default([]),
    links: z
      .array(line(2048, 'profile link').pipe(z.string().min(1)))
      .max(50)
      .default([]),
    demand: text(20_000, 'what they said or demanded').default(''),
    payments: z.array(paymentSchema).max(50).default([]),
    notes: text(20_000, 'notes').default(''),
  })
  .strict()
export type EvidenceInput = z.infer<typeof evidenceInputSchema>
export type EvidenceInputDraft = z.input<typeof evidenceInputSchema>

export const attachmentSchema = z
  .object({
    id: z.string().regex(/^a\d{1,4}$/),
    /** The file's own name when it was added. */
    name: z.string().min(1).max(255),
    /** Its copy's name inside the entry's folder in evidence/files. */
    file: z.string().regex(/^a\d{1,4}-[^/\\]{1,120}$/),
    size: z.number().int().nonnegative(),
    /** The file's modification time when it was added (often when a screenshot was taken). */
    modifiedAt: isoTime,
    addedAt: isoTime,
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .passthrough()
export type Attachment = z.infer<typeof attachmentSchema>

/** One entry as stored in evidence/entries/<id>.json. Unknown fields (a later version's) are kept. */
export const evidenceEntrySchema = z
  .object({
    id: z.string().regex(ENTRY_ID),
    at: isoTime,
    app: z.string(),
    accounts: z.array(z.string()),
    links: z.array(z.string()),
    demand: z.string(),
    payments: z.array(paymentSchema),
    notes: z.string(),
    attachments: z.array(attachmentSchema),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .passthrough()
export type EvidenceEntry = z.infer<typeof evidenceEntrySchema>

/** An entry file that could not be read: moved to evidence/damaged, kept, and reported. */
export interface DamagedEntry {
  /** Where it is kept now. */
  path: string
  reason: string
}

export interface EvidenceList {
  entries: EvidenceEntry[]
  damaged: DamagedEntry[]
}

/** A file the person chose in the window's file picker; main keeps the path, the window only the token. */
export interface PickedFile {
  token: string
  name: string
  size: number
}

export const exportRequestSchema = z
  .object({
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable()
      .default(null),
    to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable()
      .default(null),
    zip: z.boolean().default(false),
    pdf: z.boolean().default(false),
  })
  .strict()
export type ExportRequest = z.input<typeof exportRequestSchema>

export interface ExportSummary {
  /** The folder made, or null when the person cancelled. */
  dir: string | null
  zip: string | null
  pdf: string | null
  entries: number
  attachments: number
  sessions: number
  /** Things the report points out (an attachment that changed or is missing). */
  problems: string[]
}

// ---- Times ---------------------------------------------------------------------------------------

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/

/** How far ahead of the clock a time may be (clocks differ a little). */
const FUTURE_SLACK_MS = 5 * 60_000

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

/** A local date ("2026-11-28", midnight) or date and time ("2026-11-28 14:30"); null if not a real one. */
export function parseLocalTime(raw: string): Date | null {
  const m = LOCAL.exec(raw.trim())
  if (!m) return null
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1) as (string | undefined)[]
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
  // new Date rolls 31 November over into December: such a date is not real.
  const real =
    date.getFullYear() === Number(y) &&
    date.getMonth() === Number(mo) - 1 &&
    date.getDate() === Number(d) &&
    date.getHours() === Number(h) &&
    date.getMinutes() === Number(mi)
  return real ? date : null
}

/**
 * When something happened: "now", a local date and time ("2026-11-28 14:30", "2026-11-28T14:30"),
 * a date alone (midnight), or an ISO time with its offset. Not in the future.
 */
export function parseEvidenceTime(raw: string, now: Date): Parsed<string> {
  const text = raw.trim()
  let date: Date | null = null
  if (/^now$/i.test(text)) date = now
  else if (ISO_TIME.test(text)) date = new Date(text)
  else date = parseLocalTime(text)
  if (!date || Number.isNaN(date.getTime())) {
    return {
      ok: false,
      error: `"${raw}" is not a date and time; write it like 2026-11-28 14:30 (or 2026-11-28, or now)`,
    }
  }
  if (date.getTime() > now.getTime() + FUTURE_SLACK_MS) {
    return { ok: false, error: `"${raw}" is in the future; give the time it happened` }
  }
  if (date.getFullYear() < 1990) return { ok: false, error: `"${raw}" is too long ago` }
  return { ok: true, value: date.toISOString() }
}

/** "2026-11-28" (local) as the start or the end of that day; ISO times as they are. */
export function parseDayBound(raw: string, bound: 'start' | 'end'): Parsed<Date> {
  const text = raw.trim()
  const date = ISO_TIME.test(text) ? new Date(text) : parseLocalTime(text)
  if (!date || Number.isNaN(date.getTime())) {
    return { ok: false, error: `"${raw}" is not a date; write it like 2026-11-28` }
  }
  if (bound === 'end' && /^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return { ok: true, value: new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1, 0, 0, 0, -1) }
  }
  return { ok: true, value: date }
}

/** Entries whose time lies within [from, to] (either may be left out). */
export function entriesInRange<T extends { at: string }>(entries: readonly T[], from?: Date, to?: Date): T[] {
  return entries.filter((e) => {
    const t = Date.parse(e.at)
    return (!from || t >= from.getTime()) && (!to || t <= to.getTime())
  })
}

/** Oldest first, then by id so that the order never depends on the file system. */
export function byTime<T extends { at: string; id: string }>(a: T, b: T): number {
  return Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id)
}

/**
 * "Fri, 27 Nov 2026, 21:40" (with its offset, "GMT+0", when asked): the one way entries' times are
 * written, in the terminal, the window and the report. An unreadable time is returned as it is.
 */
export function evidenceTimeFormat(
  options: { timeZone?: string; offset?: boolean } = {},
): (iso: string) => string {
  const format = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(options.offset ? { timeZoneName: 'shortOffset' as const } : {}),
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  })
  return (iso) => {
    const d = new Date(iso)
    return Number.isNaN(d.getTime()) ? iso : format.format(d)
  }
}

// ---- Words ---------------------------------------------------------------------------------------

/** "Paid 200 GBP by gift card (reference 123)": the one wording of a payment, everywhere. */
export function describePayment(p: Payment): string {
  const amount = [p.amount, p.currency].filter(Boolean).join(' ')
  const verb = p.kind === 'paid' ? 'Paid' : 'Asked for'
  const method = p.method ? ` by ${p.method}` : ''
  const ref = p.reference ? ` (reference ${p.reference})` : ''
  return `${verb} ${amount}${method}${ref}`
}

/**
 * `--paid "200 GBP, gift card, ref 123"`: amount and currency, then method, then reference,
 * separated by commas; only the amount is needed. A currency sign before the amount is kept as the
 * currency ("£200").
 */
export function parsePaymentText(raw: string, kind: PaymentKind): Parsed<Payment> {
  // "1,000" is a thousand, not two parts.
  const [first = '', ...parts] = raw
    .replace(/(\d),(\d{3})(?!\d)/g, '$1$2')
    .split(',')
    .map((s) => s.trim())
  const isRef = (s: string) => /^(ref\b|reference\b|ref\.|#)/i.test(s)
  const reference = parts
    .filter(isRef)
    .map((s) => s.replace(/^(reference|ref\.?|#)\s*:?\s*/i, ''))
    .join(', ')
  const method = parts.filter((s) => s && !isRef(s)).join(', ')
  const m = /^(\D{0,3}?)\s*(\d[\d.]*)\s*(.*)$/.exec(first)
  if (!m) {
    return {
      ok: false,
      error: `"${raw}" does not start with an amount; write it like "200 GBP, gift card, ref 123"`,
    }
  }
  const currency = [m[1], m[3]]
    .map((s) => (s ?? '').trim())
    .filter(Boolean)
    .join(' ')
  const parsed = paymentSchema.safeParse({ kind, amount: m[2], currency, method, reference })
  if (!parsed.success) {
    return { ok: false, error: `"${raw}": ${parsed.error.issues[0]?.message ?? 'not a payment'}` }
  }
  return { ok: true, value: parsed.data }
}

/** The first issue of a zod error as one line: "accounts.0: account name is too long". */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'not valid'
  const where = issue.path.length ? `${issue.path.join('.')}: ` : ''
  return `${where}${issue.message}`
}

/** Human size: 1 234 567 bytes -> "1.2 MB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} ${n === 1 ? 'byte' : 'bytes'}`
  const units = ['kB', 'MB', 'GB', 'TB']
  let v = n / 1000
  let i = 0
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}
