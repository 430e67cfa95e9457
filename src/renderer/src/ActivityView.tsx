import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { ActivitySession, DeviceKind } from '../../shared/types.js'
import { useApi } from './camguard-api.js'
import { Confirm } from './Confirm.js'
import { ForeignText } from './ForeignText.js'
import {
  NO_APP,
  capitalize,
  deviceName,
  formatDuration,
  reasonWords,
  uniqueAppNames,
} from '../../shared/words.js'
import { formatDateTime } from './format.js'

const ALL = ''

const appNames = (session: ActivitySession): string[] => uniqueAppNames(session.apps)
/** Records written before the microphone was watched have no kind: they are camera sessions. */
const kindOf = (session: ActivitySession): DeviceKind => session.kind ?? 'camera'
const KINDS: { value: DeviceKind | typeof ALL; label: string }[] = [
  { value: ALL, label: 'Camera and microphone' },
  { value: 'camera', label: 'Camera' },
  { value: 'microphone', label: 'Microphone' },
]

export function ActivityView() {
  const api = useApi()
  const id = useId()
  const [sessions, setSessions] = useState<ActivitySession[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [app, setApp] = useState(ALL)
  const [device, setDevice] = useState<DeviceKind | typeof ALL>(ALL)
  const [onlyUnexpected, setOnlyUnexpected] = useState(false)
  const [message, setMessage] = useState<{ text: string; tone: 'ok' | 'error' } | null>(null)
  const [confirmClear, setConfirmClear] = useState(false)
  const [busy, setBusy] = useState(false)
  const clearButton = useRef<HTMLButtonElement>(null)

  const reload = (): void => {
    api.getActivity().then(
      (list) => {
        setSessions([...list].sort((a, b) => b.start.localeCompare(a.start)))
        setError(null)
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    )
  }

  useEffect(reload, [api])

  const apps = useMemo(
    () => [...new Set((sessions ?? []).flatMap(appNames))].sort((a, b) => a.localeCompare(b)),
    [sessions],
  )
  const shown = useMemo(
    () =>
      (sessions ?? []).filter(
        (s) =>
          (device === ALL || kindOf(s) === device) &&
          (app === ALL || appNames(s).includes(app)) &&
          (!onlyUnexpected || s.unexpected),
      ),
    [sessions, device, app, onlyUnexpected],
  )

  const exportAs = async (format: 'csv' | 'json'): Promise<void> => {
    setBusy(true)
    try {
      const result = await api.exportActivity(format)
      setMessage(
        result.saved
          ? { text: `Saved as ${format.toUpperCase()} to ${result.path ?? 'the chosen file'}.`, tone: 'ok' }
          : { text: 'Nothing was saved.', tone: 'ok' },
      )
    } catch (e) {
      setMessage({
        text: `The export did not work: ${e instanceof Error ? e.message : String(e)}`,
        tone: 'error',
      })
    } finally {
      setBusy(false)
    }
  }

  const clear = async (): Promise<void> => {
    setBusy(true)
    try {
      const removed = await api.clearActivity()
      setMessage({
        text: `History cleared: ${removed} ${removed === 1 ? 'session was' : 'sessions were'} deleted.`,
        tone: 'ok',
      })
      setConfirmClear(false)
      setApp(ALL)
      setDevice(ALL)
      reload()
    } catch (e) {
      setMessage({
        text: `History was not cleared: ${e instanceof Error ? e.message : String(e)}`,
        tone: 'error',
      })
    } finally {
      setBusy(false)
    }
  }

  const total = sessions?.length ?? 0

  return (
    <>
      <h1 tabIndex={-1}>Activity</h1>
      <p className="lead">
        Every time your camera or microphone was on, which app used it, and for how long. Kept on this
        computer only.
      </p>

      <section aria-labelledby={`${id}-filters`} className="filters">
        <h2 id={`${id}-filters`} className="visually-hidden">
          Filters
        </h2>
        <div className="field">
          <label htmlFor={`${id}-device`}>Device</label>
          <select
            id={`${id}-device`}
            value={device}
            onChange={(e) => setDevice(e.target.value as DeviceKind | typeof ALL)}
            disabled={!sessions}
          >
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-app`}>App</label>
          <select id={`${id}-app`} value={app} onChange={(e) => setApp(e.target.value)} disabled={!sessions}>
            <option value={ALL}>All apps</option>
            {apps.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field check">
          <input
            id={`${id}-unexpected`}
            type="checkbox"
            checked={onlyUnexpected}
            onChange={(e) => setOnlyUnexpected(e.target.checked)}
          />
          <label htmlFor={`${id}-unexpected`}>Only unexpected</label>
        </div>
      </section>

      <section aria-labelledby={`${id}-sessions`}>
        <h2 id={`${id}-sessions`}>Sessions</h2>
        {error && <p className="error-text">The history could not be read: {error}</p>}
        {!sessions && !error && <p>Loading…</p>}
        {sessions && (
          <p role="status" className="muted">
            {total === 0
              ? 'No camera or microphone use has been recorded yet.'
              : `Showing ${shown.length} of ${total} ${total === 1 ? 'session' : 'sessions'}.`}
          </p>
        )}
        {shown.length > 0 && (
          <ul className="card-list sessions">
            {shown.map((s) => {
              const names = appNames(s)
              return (
                <li key={s.id} className={`card session ${s.unexpected ? 'session-unexpected' : ''}`}>
                  <h3 className="session-app">
                    {names.length
                      ? names.map((n, i) => (
                          <span key={n}>
                            {i > 0 && ', '}
                            <ForeignText text={n} />
                          </span>
                        ))
                      : capitalize(NO_APP)}
                  </h3>
                  <dl className="facts">
                    <div>
                      <dt>Device</dt>
                      <dd>{capitalize(deviceName(kindOf(s)))}</dd>
                    </div>
                    <div>
                      <dt>Started</dt>
                      <dd>{formatDateTime(s.start)}</dd>
                    </div>
                    <div>
                      <dt>Length</dt>
                      <dd>{s.end === null ? 'still on' : formatDuration(s.durationMs)}</dd>
                    </div>
                    <div>
                      <dt>Expected?</dt>
                      <dd>
                        {s.unexpected ? (
                          <span className="tag tag-unexpected">
                            Unexpected
                            {s.reasons.length
                              ? `: ${s.reasons.map((r) => reasonWords(r, 'short', { kind: kindOf(s) })).join(', ')}`
                              : ''}
                          </span>
                        ) : (
                          <span className="tag tag-expected">Expected</span>
                        )}
                      </dd>
                    </div>
                  </dl>
                </li>
              )
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby={`${id}-export`}>
        <h2 id={`${id}-export`}>Save or clear</h2>
        <p>Export saves the whole history (not only what the filters show) to a file you choose.</p>
        <div className="button-row">
          <button type="button" className="button" disabled={busy} onClick={() => void exportAs('csv')}>
            Export as CSV
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => void exportAs('json')}>
            Export as JSON
          </button>
        </div>
        {confirmClear ? (
          <Confirm
            question="Delete all camera and microphone history?"
            detail="This cannot be undone. Export it first if you may need it, for example to show the police."
            confirmLabel="Yes, clear history"
            busy={busy}
            onConfirm={() => void clear()}
            onCancel={() => {
              setConfirmClear(false)
              window.requestAnimationFrame(() => clearButton.current?.focus())
            }}
          />
        ) : (
          <div className="button-row">
            <button
              type="button"
              className="button"
              ref={clearButton}
              disabled={busy || total === 0}
              onClick={() => {
                setMessage(null)
                setConfirmClear(true)
              }}
            >
              Clear history…
            </button>
          </div>
        )}
        <p role="status" className={`action-message ${message?.tone ?? ''}`}>
          {message?.text ?? ''}
        </p>
      </section>
    </>
  )
}
