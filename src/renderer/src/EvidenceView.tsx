import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import {
  describePayment,
  evidenceInputSchema,
  evidenceTimeFormat,
  firstIssue,
  formatBytes,
  parseEvidenceTime,
  type Attachment,
  type EvidenceEntry,
  type EvidenceInput,
  type EvidenceList,
  type ExportSummary,
  type PaymentKind,
  type PickedFile,
} from '../../shared/evidence.js'
import { useApi } from './camguard-api.js'
import { Confirm } from './Confirm.js'
import { ForeignText, foreignString } from './ForeignText.js'
import { plural } from '../../shared/words.js'

const when = evidenceTimeFormat()
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e))

interface PaymentDraft {
  kind: PaymentKind
  amount: string
  currency: string
  method: string
  reference: string
}

interface Draft {
  /** The entry being edited, or null for a new one. */
  id: string | null
  at: string
  app: string
  accounts: string
  links: string
  demand: string
  notes: string
  payments: PaymentDraft[]
  /** Attachments the entry already has, and those marked for removal. */
  attachments: Attachment[]
  remove: string[]
  picked: PickedFile[]
}

type Message = { text: string; tone: 'ok' | 'error' } | null

/** "2026-11-27T21:40" in local time, as a datetime-local input wants it. */
function localInput(iso: string): string {
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

function newDraft(): Draft {
  return {
    id: null,
    at: localInput(new Date().toISOString()),
    app: '',
    accounts: '',
    links: '',
    demand: '',
    notes: '',
    payments: [],
    attachments: [],
    remove: [],
    picked: [],
  }
}

function draftOf(e: EvidenceEntry): Draft {
  return {
    id: e.id,
    at: localInput(e.at),
    app: e.app,
    accounts: e.accounts.join('\n'),
    links: e.links.join('\n'),
    demand: e.demand,
    notes: e.notes,
    payments: e.payments.map((p) => ({ ...p })),
    attachments: e.attachments,
    remove: [],
    picked: [],
  }
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)

/** The draft as the shared schema wants it, or the first problem in words. */
function inputOf(d: Draft): { ok: true; input: EvidenceInput } | { ok: false; error: string } {
  const at = parseEvidenceTime(d.at.replace('T', ' '), new Date())
  if (!at.ok) return { ok: false, error: `When it happened: ${at.error}` }
  const parsed = evidenceInputSchema.safeParse({
    at: at.value,
    app: d.app,
    accounts: lines(d.accounts),
    links: lines(d.links),
    demand: d.demand,
    notes: d.notes,
    payments: d.payments,
  })
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, error: firstIssue(parsed.error) }
}

/** The guide's rule, before anything else in the view. */
function SafetyRule() {
  const id = useId()
  return (
    <aside className="safety-rule" aria-labelledby={`${id}-rule`}>
      <p id={`${id}-rule`} className="safety-rule-title">
        Never add sexual images, especially of anyone under 18.
      </p>
      <p>
        Not even of yourself, and not even as evidence. Describe them in words instead: what the image showed,
        where you saw it and when. You do not need a copy to report it.
      </p>
    </aside>
  )
}

interface TextFieldProps {
  label: string
  value: string
  onChange: (value: string) => void
  hint?: string
  /** A text area of this many rows; a one-line input without it. */
  rows?: number
  type?: 'text' | 'datetime-local'
  className?: string
  inputMode?: 'decimal'
  placeholder?: string
}

/** A labelled text input or text area, with its hint read out with it. */
function TextField({ label, value, onChange, hint, rows, type = 'text', ...rest }: TextFieldProps) {
  const id = useId()
  const common = {
    id,
    value,
    'aria-describedby': hint ? `${id}-hint` : undefined,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {rows ? <textarea rows={rows} {...common} /> : <input type={type} {...rest} {...common} />}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
    </div>
  )
}

interface EntryFormProps {
  draft: Draft
  busy: boolean
  onChange: (draft: Draft) => void
  onPick: () => void
  onSave: () => void
  onCancel: () => void
  error: string | null
}

function EntryForm({ draft, busy, onChange, onPick, onSave, onCancel, error }: EntryFormProps) {
  const id = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  const errorRef = useRef<HTMLParagraphElement>(null)
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch })
  const setPayment = (i: number, patch: Partial<PaymentDraft>) =>
    set({ payments: draft.payments.map((p, j) => (j === i ? { ...p, ...patch } : p)) })

  useEffect(() => heading.current?.focus(), [])
  useEffect(() => {
    if (error) errorRef.current?.focus()
  }, [error])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    onSave()
  }

  return (
    <form className="card entry-form" aria-labelledby={`${id}-h`} noValidate onSubmit={submit}>
      <h2 id={`${id}-h`} tabIndex={-1} ref={heading}>
        {draft.id ? 'Edit the entry' : 'Add an entry'}
      </h2>
      <p className="hint">Write what you know; every field can be left empty except the time.</p>
      <TextField
        label="When it happened"
        type="datetime-local"
        value={draft.at}
        onChange={(at) => set({ at })}
      />
      <TextField
        label="App or website"
        value={draft.app}
        hint="For example where you met, or the video-call app they moved you to."
        onChange={(app) => set({ app })}
      />
      <TextField
        label="Their account names"
        rows={2}
        value={draft.accounts}
        hint="One per line: every username and display name they used."
        onChange={(accounts) => set({ accounts })}
      />
      <TextField
        label="Links to their profiles"
        rows={2}
        value={draft.links}
        hint="One per line: the web address you see when you open their profile."
        onChange={(links) => set({ links })}
      />
      <TextField
        label="What they said or demanded"
        rows={3}
        value={draft.demand}
        onChange={(demand) => set({ demand })}
      />
      <fieldset className="payments">
        <legend>Money they asked for, or you paid</legend>
        {draft.payments.length === 0 && <p className="hint">None yet.</p>}
        {draft.payments.map((p, i) => (
          <div className="payment-row" key={i} role="group" aria-label={`Payment ${i + 1}`}>
            <div className="field">
              <label htmlFor={`${id}-pk${i}`}>Asked or paid</label>
              <select
                id={`${id}-pk${i}`}
                value={p.kind}
                onChange={(e) => setPayment(i, { kind: e.target.value as PaymentKind })}
              >
                <option value="asked">They asked for</option>
                <option value="paid">I paid</option>
              </select>
            </div>
            <TextField
              label="Amount"
              className="short-input"
              inputMode="decimal"
              value={p.amount}
              onChange={(amount) => setPayment(i, { amount })}
            />
            <TextField
              label="Currency"
              className="short-input"
              value={p.currency}
              onChange={(currency) => setPayment(i, { currency })}
            />
            <TextField
              label="How"
              value={p.method}
              placeholder="gift card, bank, crypto…"
              onChange={(method) => setPayment(i, { method })}
            />
            <TextField
              label="Reference"
              value={p.reference}
              onChange={(reference) => setPayment(i, { reference })}
            />
            <button
              type="button"
              className="button small"
              onClick={() => set({ payments: draft.payments.filter((_, j) => j !== i) })}
            >
              Remove payment {i + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button small"
          onClick={() =>
            set({
              payments: [
                ...draft.payments,
                { kind: 'asked', amount: '', currency: '', method: '', reference: '' },
              ],
            })
          }
        >
          Add a payment
        </button>
      </fieldset>
      <TextField label="Notes" rows={3} value={draft.notes} onChange={(notes) => set({ notes })} />
      <fieldset className="files">
        <legend>Files</legend>
        <p className="hint" id={`${id}-files-hint`}>
          Screenshots, saved chats, receipts. They are copied into the notebook; your own files stay where
          they are. No sexual images: describe them in the notes instead.
        </p>
        <ul className="file-list">
          {draft.attachments.map((a) => {
            const removed = draft.remove.includes(a.id)
            return (
              <li key={a.id} className={removed ? 'file-removed' : undefined}>
                <ForeignText className="file-name" text={a.name} />{' '}
                <span className="muted">{formatBytes(a.size)}</span>
                {removed && <span className="tag"> will be removed</span>}
                <button
                  type="button"
                  className="button small"
                  onClick={() =>
                    set({
                      remove: removed ? draft.remove.filter((r) => r !== a.id) : [...draft.remove, a.id],
                    })
                  }
                >
                  {removed ? `Keep ${foreignString(a.name)}` : `Remove ${foreignString(a.name)}`}
                </button>
              </li>
            )
          })}
          {draft.picked.map((f) => (
            <li key={f.token}>
              <ForeignText className="file-name" text={f.name} />{' '}
              <span className="muted">{formatBytes(f.size)}</span> <span className="tag">new</span>
              <button
                type="button"
                className="button small"
                onClick={() => set({ picked: draft.picked.filter((p) => p.token !== f.token) })}
              >
                {`Remove ${foreignString(f.name)}`}
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="button small"
          disabled={busy}
          aria-describedby={`${id}-files-hint`}
          onClick={onPick}
        >
          Choose files…
        </button>
      </fieldset>
      {error && (
        <p className="field-error" tabIndex={-1} ref={errorRef} role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button primary" disabled={busy}>
          {draft.id ? 'Save changes' : 'Save entry'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}

interface EntryCardProps {
  entry: EvidenceEntry
  onEdit: () => void
  onDelete: () => void
  busy: boolean
}

function EntryCard({ entry, onEdit, onDelete, busy }: EntryCardProps) {
  const [confirming, setConfirming] = useState(false)
  const title = `${when(entry.at)}${entry.app ? ` — ${entry.app}` : ''}`
  return (
    <li className="card entry-card">
      <h3>{title}</h3>
      <dl className="facts">
        {entry.accounts.length > 0 && (
          <div>
            <dt>Their accounts</dt>
            <dd>{entry.accounts.join(', ')}</dd>
          </div>
        )}
        {entry.demand && (
          <div>
            <dt>What they said</dt>
            <dd className="pre-text">{entry.demand}</dd>
          </div>
        )}
        {entry.payments.length > 0 && (
          <div>
            <dt>Money</dt>
            <dd>
              {entry.payments.map((p, i) => (
                <span key={i} className="payment-line">
                  {describePayment(p)}
                </span>
              ))}
            </dd>
          </div>
        )}
        <div>
          <dt>Files</dt>
          <dd>
            {entry.attachments.length
              ? entry.attachments.map((a, i) => (
                  <span key={a.id}>
                    {i > 0 && ', '}
                    <ForeignText text={a.name} />
                  </span>
                ))
              : 'None'}
          </dd>
        </div>
      </dl>
      {confirming ? (
        <Confirm
          question={`Delete the entry of ${when(entry.at)}?`}
          detail={`Its ${plural(entry.attachments.length, 'file')} will be deleted too. This cannot be undone.`}
          confirmLabel="Yes, delete this entry"
          busy={busy}
          onConfirm={onDelete}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <div className="button-row">
          <button
            type="button"
            className="button small"
            onClick={onEdit}
            aria-label={`Edit the entry of ${title}`}
          >
            Edit
          </button>
          <button
            type="button"
            className="button small"
            onClick={() => setConfirming(true)}
            aria-label={`Delete the entry of ${title}…`}
          >
            Delete…
          </button>
        </div>
      )}
    </li>
  )
}

function exportMessage(s: ExportSummary): string {
  const made = [s.zip && `a zip of it at ${s.zip}`, s.pdf && 'a PDF of the report (report.pdf)']
    .filter(Boolean)
    .join(' and ')
  return (
    `Saved ${plural(s.entries, 'entry', 'entries')}, ${plural(s.attachments, 'file')} and ${plural(s.sessions, 'camera or microphone session')} to ${s.dir}: ` +
    `report.html (open it to read or print), the files, and manifest.json with the SHA-256 of every file.` +
    (made ? ` Also ${made}.` : '') +
    (s.problems.length ? ` Please note: ${s.problems.join('; ')}.` : '')
  )
}

function ExportPanel({
  count,
  busy,
  run,
}: {
  count: number
  busy: boolean
  run: (r: ExportOptions) => void
}) {
  const id = useId()
  const [opts, setOpts] = useState<ExportOptions>({ from: '', to: '', zip: true, pdf: true })
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Export a report</h2>
      <p>
        Makes a new folder with a report you can print or send (report.html), copies of the files, and a list
        of their SHA-256 hashes (manifest.json) so anyone can check that nothing was changed. It also adds
        CamGuard&apos;s own record of when the camera was on, on the days of your entries.
      </p>
      <div className="input-row">
        <div className="field">
          <label htmlFor={`${id}-from`}>From (optional)</label>
          <input
            id={`${id}-from`}
            type="date"
            value={opts.from}
            onChange={(e) => setOpts({ ...opts, from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To (optional)</label>
          <input
            id={`${id}-to`}
            type="date"
            value={opts.to}
            onChange={(e) => setOpts({ ...opts, to: e.target.value })}
          />
        </div>
      </div>
      <div className="check">
        <input
          id={`${id}-zip`}
          type="checkbox"
          checked={opts.zip}
          onChange={(e) => setOpts({ ...opts, zip: e.target.checked })}
        />
        <label htmlFor={`${id}-zip`}>Also make a .zip file (one file to send)</label>
      </div>
      <div className="check">
        <input
          id={`${id}-pdf`}
          type="checkbox"
          checked={opts.pdf}
          onChange={(e) => setOpts({ ...opts, pdf: e.target.checked })}
        />
        <label htmlFor={`${id}-pdf`}>Also make a PDF of the report</label>
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button primary"
          disabled={busy || count === 0}
          onClick={() => run(opts)}
        >
          Export…
        </button>
      </div>
    </section>
  )
}

interface ExportOptions {
  from: string
  to: string
  zip: boolean
  pdf: boolean
}

function DeleteAll({ list, busy, run }: { list: EvidenceList; busy: boolean; run: () => void }) {
  const id = useId()
  const [step, setStep] = useState<0 | 1 | 2>(0)
  const button = useRef<HTMLButtonElement>(null)
  const files = list.entries.reduce((n, e) => n + e.attachments.length, 0)
  const total = list.entries.length + list.damaged.length
  const cancel = () => {
    setStep(0)
    window.requestAnimationFrame(() => button.current?.focus())
  }
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Delete all evidence</h2>
      {step === 0 && (
        <div className="button-row">
          <button
            type="button"
            className="button"
            ref={button}
            disabled={busy || total === 0}
            onClick={() => setStep(1)}
          >
            Delete all evidence…
          </button>
        </div>
      )}
      {step === 1 && (
        <Confirm
          question="Delete all evidence?"
          detail="Every entry and every file in the notebook will be deleted from this computer. This cannot be undone. Export a report first if you may need it."
          confirmLabel="Continue"
          onConfirm={() => setStep(2)}
          onCancel={cancel}
        />
      )}
      {step === 2 && (
        <Confirm
          key="second"
          question={`Are you sure? ${plural(total, 'entry', 'entries')} and ${plural(files, 'file')} will be gone for good.`}
          detail="This cannot be undone."
          confirmLabel="Yes, delete everything"
          busy={busy}
          onConfirm={() => {
            setStep(0)
            run()
          }}
          onCancel={cancel}
        />
      )}
    </section>
  )
}

export function EvidenceView() {
  const api = useApi()
  const id = useId()
  const [list, setList] = useState<EvidenceList | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [draft, setDraft] = useState<Draft | null>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const [message, setMessage] = useState<Message>(null)
  const [busy, setBusy] = useState(false)
  const addButton = useRef<HTMLButtonElement>(null)

  const reload = (): void => {
    api.listEvidence().then(
      (l) => {
        setList(l)
        setLoadError(null)
      },
      (e: unknown) => setLoadError(errorText(e)),
    )
  }
  useEffect(reload, [api])

  const act = async (fn: () => Promise<void>): Promise<void> => {
    setBusy(true)
    try {
      await fn()
    } catch (e) {
      setMessage({ text: `That did not work: ${errorText(e)}`, tone: 'error' })
    } finally {
      setBusy(false)
    }
  }

  const open = (d: Draft) => {
    setMessage(null)
    setFormError(null)
    setDraft(d)
  }
  const close = () => {
    setDraft(null)
    setFormError(null)
    window.requestAnimationFrame(() => addButton.current?.focus())
  }

  const pick = () =>
    act(async () => {
      if (!draft) return
      const files = await api.pickEvidenceFiles()
      setDraft((d) => (d ? { ...d, picked: [...d.picked, ...files] } : d))
    })

  const save = () =>
    act(async () => {
      if (!draft) return
      const checked = inputOf(draft)
      if (!checked.ok) {
        setFormError(checked.error)
        return
      }
      const tokens = draft.picked.map((f) => f.token)
      const result = draft.id
        ? await api.updateEvidence(draft.id, checked.input, tokens, draft.remove)
        : await api.addEvidence(checked.input, tokens)
      if (!result.ok) {
        setFormError(result.error)
        return
      }
      setMessage({
        text: `${draft.id ? 'Changes saved' : 'Entry saved'}: ${when(result.entry.at)}, ${plural(result.entry.attachments.length, 'file')}. Kept on this computer only.`,
        tone: 'ok',
      })
      close()
      reload()
    })

  const remove = (entry: EvidenceEntry) =>
    act(async () => {
      const result = await api.deleteEvidence(entry.id)
      setMessage(
        result.ok
          ? { text: `The entry of ${when(entry.at)} was deleted.`, tone: 'ok' }
          : { text: result.error, tone: 'error' },
      )
      reload()
    })

  const runExport = (o: ExportOptions) =>
    act(async () => {
      setMessage(null)
      const result = await api.exportEvidence({
        from: o.from || null,
        to: o.to || null,
        zip: o.zip,
        pdf: o.pdf,
      })
      if (!result.ok) setMessage({ text: `The export did not work: ${result.error}`, tone: 'error' })
      else if (!result.summary) setMessage({ text: 'Nothing was exported.', tone: 'ok' })
      else setMessage({ text: exportMessage(result.summary), tone: 'ok' })
    })

  const deleteAll = () =>
    act(async () => {
      const r = await api.deleteAllEvidence('delete all evidence')
      setMessage({
        text: `All evidence was deleted: ${plural(r.entries, 'entry', 'entries')} and ${plural(r.files, 'file')}.`,
        tone: 'ok',
      })
      reload()
    })

  const newestFirst = list ? [...list.entries].reverse() : []

  return (
    <>
      <h1 tabIndex={-1}>Evidence notebook</h1>
      <SafetyRule />
      <p className="lead">
        Write down what happened and keep screenshots, saved chats and receipts in one private place on this
        computer. Nothing here is sent anywhere. When you are ready, export one report for the police or a
        helpline.
      </p>

      {draft ? (
        <EntryForm
          draft={draft}
          busy={busy}
          error={formError}
          onChange={setDraft}
          onPick={() => void pick()}
          onSave={() => void save()}
          onCancel={close}
        />
      ) : (
        <div className="button-row">
          <button type="button" className="button primary" ref={addButton} onClick={() => open(newDraft())}>
            Add an entry
          </button>
        </div>
      )}

      <p role="status" className={`action-message ${message?.tone ?? ''}`}>
        {message?.text ?? ''}
      </p>

      <section aria-labelledby={`${id}-entries`}>
        <h2 id={`${id}-entries`}>Entries</h2>
        {loadError && <p className="error-text">The notebook could not be read: {loadError}</p>}
        {!list && !loadError && <p>Loading…</p>}
        {list && list.damaged.length > 0 && (
          <p className="error-text">
            {plural(list.damaged.length, 'entry', 'entries')} could not be read.{' '}
            {list.damaged.length === 1 ? 'It was' : 'They were'} moved aside and kept:{' '}
            {list.damaged.map((d) => d.path).join(', ')}
          </p>
        )}
        {list && (
          <p className="muted entries-count">
            {list.entries.length === 0
              ? 'No entries yet.'
              : `${plural(list.entries.length, 'entry', 'entries')}, newest first.`}
          </p>
        )}
        {newestFirst.length > 0 && (
          <ul className="card-list">
            {newestFirst.map((e) => (
              <EntryCard
                key={e.id}
                entry={e}
                busy={busy}
                onEdit={() => open(draftOf(e))}
                onDelete={() => void remove(e)}
              />
            ))}
          </ul>
        )}
      </section>

      {list && <ExportPanel count={list.entries.length} busy={busy} run={(o) => void runExport(o)} />}
      {list && <DeleteAll list={list} busy={busy} run={() => void deleteAll()} />}
    </>
  )
}
