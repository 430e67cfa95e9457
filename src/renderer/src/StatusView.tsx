import { useEffect, useId, useState } from 'react'
import type { StatusView as Status } from '../../shared/ipc.js'
import type { CameraUser } from '../../shared/types.js'
import { trustEntries, type TrustEntry } from '../../shared/trust.js'
import { AppCard } from './AppCard.js'
import { useApi } from './camguard-api.js'
import { MicrophoneSection, micStateKind } from './MicrophoneSection.js'
import { StateIcon, type StateKind } from './StateIcon.js'
import { ForeignText, foreignString } from './ForeignText.js'
import { formatDuration, reasonWords } from '../../shared/words.js'
import { elapsedSince, formatTime, isNearFuture } from './format.js'

/** The guide topic offered when the camera is on unexpectedly. */
export const HAPPENING_TOPIC = 'if-it-happens'

function stateKind(status: Status | null): StateKind {
  if (!status) return 'loading'
  if (status.snapshot.state === 'unknown') return 'unknown'
  if (status.snapshot.state === 'off') return 'off'
  return status.unexpected ? 'unexpected' : 'expected'
}

const HEADLINES: Record<StateKind, string> = {
  loading: 'Checking your camera…',
  off: 'Your camera is off',
  expected: 'Your camera is on, as expected',
  unexpected: 'Your camera is on, and this was not expected',
  unknown: 'CamGuard cannot tell if your camera is on',
}

const BADGES: Record<StateKind, string> = {
  loading: 'Checking',
  off: 'Off',
  expected: 'On — expected',
  unexpected: 'On — unexpected',
  unknown: 'Unknown',
}

function appKey(app: CameraUser, index: number): string {
  return `${app.pid ?? 'nopid'}-${app.name}-${index}`
}

interface StatusViewProps {
  onOpenGuide: (topic: string) => void
}

export function StatusView({ onOpenGuide }: StatusViewProps) {
  const api = useApi()
  const id = useId()
  const [status, setStatus] = useState<Status | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [trusted, setTrusted] = useState<TrustEntry[]>([])
  const [confirmStop, setConfirmStop] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; tone: 'ok' | 'error' } | null>(null)
  const [now, setNow] = useState(() => Date.now())

  useEffect(() => {
    let alive = true
    api.getStatus().then(
      (s) => alive && setStatus((current) => current ?? s),
      (e: unknown) => alive && setLoadError(String(e instanceof Error ? e.message : e)),
    )
    api.getSettings().then(
      (s) => alive && setTrusted(trustEntries(s.trustedApps)),
      () => undefined,
    )
    const unsubscribe = api.onStatus((s) => {
      setStatus(s)
      setNow(Date.now())
    })
    const timer = window.setInterval(() => setNow(Date.now()), 30_000)
    return () => {
      alive = false
      unsubscribe()
      window.clearInterval(timer)
    }
  }, [api])

  const run = async <T,>(action: () => Promise<T>, done: (result: T) => void): Promise<void> => {
    setBusy(true)
    try {
      done(await action())
    } catch (e) {
      setMessage({ text: `That did not work: ${e instanceof Error ? e.message : String(e)}`, tone: 'error' })
    } finally {
      setBusy(false)
    }
  }

  const kind = stateKind(status)
  const on = status?.snapshot.state === 'on'
  const micKind = micStateKind(status)
  const micOn = micKind === 'expected' || micKind === 'unexpected'
  // Reminders are for whichever device is on: the engine arms one for each.
  const devices = on && micOn ? 'camera or microphone' : micOn ? 'microphone' : 'camera'
  const apps = status?.apps ?? []
  const reasons = status?.reasons ?? []
  const onFor = status?.since ? formatDuration(elapsedSince(status.since, now)) : null

  const trust = (app: CameraUser): Promise<void> =>
    run(
      () => api.trustApp({ pid: app.pid, name: app.name }),
      (settings) => {
        setTrusted(trustEntries(settings.trustedApps))
        setMessage({
          text: `${foreignString(app.name)} is now a trusted app. Its camera use will count as expected.`,
          tone: 'ok',
        })
      },
    )

  const stop = (app: CameraUser): Promise<void> =>
    run(
      () => api.stopApp(app.pid as number),
      (result) => {
        setConfirmStop(null)
        setMessage({ text: result.message, tone: result.ok ? 'ok' : 'error' })
      },
    )

  const withStatus =
    (text: (s: Status) => string) =>
    (s: Status): void => {
      setStatus(s)
      setMessage({ text: text(s), tone: 'ok' })
    }

  return (
    <>
      <h1 tabIndex={-1}>Status</h1>

      <p className="visually-hidden" aria-live="polite">
        {kind === 'loading' ? '' : HEADLINES[kind]}
      </p>
      <section className={`state-card state-${kind}`} aria-labelledby={`${id}-state`}>
        <div className="state-top">
          <StateIcon kind={kind} />
          <div>
            <p className="state-badge">{BADGES[kind]}</p>
            <h2 id={`${id}-state`} className="state-headline">
              {HEADLINES[kind]}
            </h2>
          </div>
        </div>
        {kind === 'off' && <p>No app is using your camera.</p>}
        {kind === 'expected' && (
          <p>
            {apps.length ? 'Only apps you trust are using it.' : 'It is being used as expected.'}
            {onFor && ` It has been on for ${onFor}.`}
          </p>
        )}
        {kind === 'unexpected' && (
          <>
            <p>Why CamGuard is telling you{onFor ? ` (on for ${onFor})` : ''}:</p>
            <ul className="reasons">
              {reasons.length ? (
                reasons.map((r) => <li key={r}>{reasonWords(r, 'sentence')}</li>)
              ) : (
                <li>It turned on when CamGuard did not expect it.</li>
              )}
            </ul>
          </>
        )}
        {kind === 'unknown' && (
          <p>
            Why: <ForeignText text={status?.snapshot.error ?? 'the camera check did not work.'} /> Treat the
            camera as possibly on: cover it if you are worried.
          </p>
        )}
        {loadError && <p className="error-text">CamGuard could not read the camera state: {loadError}</p>}
        {status && <p className="muted">Last checked at {formatTime(status.snapshot.checkedAt)}.</p>}
      </section>

      {(kind === 'unexpected' || micKind === 'unexpected') && (
        <aside className="gentle-help" aria-labelledby={`${id}-help`}>
          <h2 id={`${id}-help`} className="small-heading">
            Is someone threatening you?
          </h2>
          <p>
            If someone says they have recorded you and asks for money or more pictures, you are not alone and
            it is not your fault. There are calm, simple steps that help.
          </p>
          <button type="button" className="button subtle" onClick={() => onOpenGuide(HAPPENING_TOPIC)}>
            Read “If it is happening to you”
          </button>
        </aside>
      )}

      <p role="status" className={`action-message ${message?.tone ?? ''}`}>
        {message?.text ?? ''}
      </p>

      <section aria-labelledby={`${id}-apps`}>
        <h2 id={`${id}-apps`}>Apps using the camera</h2>
        {!status && !loadError && <p>Checking…</p>}
        {status && apps.length === 0 && (
          <p>{on ? 'CamGuard could not name the app that is using your camera.' : 'None right now.'}</p>
        )}
        {apps.length > 0 && (
          <ul className="card-list">
            {apps.map((app, index) => (
              <AppCard
                key={appKey(app, index)}
                app={app}
                kind="camera"
                trusted={trusted}
                since={status?.since ?? null}
                onFor={onFor}
                confirming={confirmStop === app.pid}
                busy={busy}
                onTrust={(a) => void trust(a)}
                onAskStop={(pid) => {
                  setMessage(null)
                  setConfirmStop(pid)
                }}
                onStop={(a) => void stop(a)}
                onCancelStop={() => setConfirmStop(null)}
              />
            ))}
          </ul>
        )}
      </section>

      <MicrophoneSection status={status} now={now} onMessage={setMessage} />

      {(on || micOn) && (
        <section aria-labelledby={`${id}-remind`}>
          <h2 id={`${id}-remind`}>Reminders</h2>
          {status?.snoozedUntil ? (
            <p>
              Reminders are snoozed{' '}
              {isNearFuture(status.snoozedUntil, 12 * 3600_000, now)
                ? `until ${formatTime(status.snoozedUntil)}`
                : `until the ${devices} turns off`}
              .
            </p>
          ) : status?.remindAt ? (
            <p>
              CamGuard will remind you at {formatTime(status.remindAt)} if the {devices} is still on.
            </p>
          ) : (
            <p>Want a nudge to turn it off? CamGuard can remind you if the {devices} is still on.</p>
          )}
          <div className="button-row" role="group" aria-label={`Remind me if the ${devices} is still on`}>
            {[5, 15, 30].map((m) => (
              <button
                key={m}
                type="button"
                className="button"
                disabled={busy}
                onClick={() =>
                  void run(
                    () => api.remindIn(m),
                    withStatus(
                      () => `OK. CamGuard will remind you in ${m} minutes if the ${devices} is still on.`,
                    ),
                  )
                }
              >
                Remind me in {m} min
              </button>
            ))}
          </div>
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                void run(
                  () => api.snooze(null),
                  withStatus(() => `Reminders are snoozed until the ${devices} turns off.`),
                )
              }
            >
              Snooze reminders until the {devices} is off
            </button>
          </div>
        </section>
      )}

      <section aria-labelledby={`${id}-alerts`}>
        <h2 id={`${id}-alerts`}>Alerts</h2>
        {status?.pausedUntil ? (
          <>
            <p>
              Alerts are paused until {formatTime(status.pausedUntil)}. CamGuard still watches the camera, but
              it will not pop up warnings.
            </p>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                void run(
                  () => api.resumeAlerts(),
                  withStatus(() => 'Alerts are back on.'),
                )
              }
            >
              Resume alerts
            </button>
          </>
        ) : (
          <>
            <p>Alerts are on: CamGuard tells you when the camera or microphone turns on unexpectedly.</p>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                void run(
                  () => api.pauseAlerts(60),
                  withStatus((s) => `Alerts are paused until ${formatTime(s.pausedUntil)}.`),
                )
              }
            >
              Pause alerts for 1 hour
            </button>
          </>
        )}
      </section>

      {status && status.snapshot.warnings.length > 0 && (
        <section aria-labelledby={`${id}-notes`}>
          <h2 id={`${id}-notes`} className="small-heading">
            Notes from the last check
          </h2>
          <ul className="muted">
            {status.snapshot.warnings.map((w) => (
              <li key={w}>
                <ForeignText text={w} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  )
}
