import { useEffect, useId, useState } from 'react'
import type { StatusView as Status, StopAppResult } from '../../shared/ipc.js'
import type { CameraUser } from '../../shared/types.js'
import {
  impersonationText,
  isNameOnly,
  matchTrust,
  trustEntries,
  type TrustEntry,
} from '../../shared/trust.js'
import { appNames, evidenceWords, formatDuration, reasonWords } from '../../shared/words.js'
import { useApi } from './camguard-api.js'
import { Confirm } from './Confirm.js'
import { ForeignText, foreignString } from './ForeignText.js'
import { StateIcon, type StateKind } from './StateIcon.js'
import { elapsedSince, formatTime } from './format.js'

type MicKind = StateKind | 'unwatched'

/** The microphone's state as the window tells it: unknown is never off, and not watched is said so. */
export function micStateKind(status: Status | null): MicKind {
  if (!status) return 'loading'
  const mic = status.snapshot.microphone
  if (!mic) return 'unwatched'
  if (mic.state === 'unknown') return 'unknown'
  if (mic.state === 'off') return 'off'
  return status.microphone?.unexpected ? 'unexpected' : 'expected'
}

const HEADLINES: Record<MicKind, string> = {
  loading: 'Checking your microphone…',
  off: 'Your microphone is off',
  expected: 'Your microphone is on, as expected',
  unexpected: 'Your microphone is on, and this was not expected',
  unknown: 'CamGuard cannot tell if your microphone is on',
  unwatched: 'CamGuard is not watching your microphone',
}

const BADGES: Record<MicKind, string> = {
  loading: 'Checking',
  off: 'Off',
  expected: 'On — expected',
  unexpected: 'On — unexpected',
  unknown: 'Unknown',
  unwatched: 'Not watched',
}

/** The apps recording now: the engine's session where there is one, else who the detector saw. */
function micApps(status: Status): CameraUser[] {
  if (status.microphone) return status.microphone.apps
  const apps: CameraUser[] = []
  for (const u of (status.snapshot.microphone?.devices ?? []).flatMap((d) => d.users))
    if (!apps.some((a) => a.pid === u.pid && a.name === u.name)) apps.push(u)
  return apps
}

interface MicrophoneSectionProps {
  status: Status | null
  now: number
  /** Tells the person what an action did (the view's one status line). */
  onMessage: (message: { text: string; tone: 'ok' | 'error' }) => void
}

/** The microphone on the Status view: its state in words, why it was unexpected, who records, on which device. */
export function MicrophoneSection({ status, now, onMessage }: MicrophoneSectionProps) {
  const api = useApi()
  const id = useId()
  const [confirmStop, setConfirmStop] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [trusted, setTrusted] = useState<TrustEntry[]>([])
  useEffect(() => {
    let alive = true
    api.getSettings().then(
      (s) => alive && setTrusted(trustEntries(s.trustedApps)),
      () => undefined,
    )
    return () => {
      alive = false
    }
  }, [api])
  const kind = micStateKind(status)
  const mic = status?.snapshot.microphone
  const apps = status ? micApps(status) : []
  const since = status?.microphone?.since ?? null
  const onFor = since ? formatDuration(elapsedSince(since, now)) : null
  const reasons = status?.microphone?.reasons ?? []

  const act = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true)
    try {
      await action()
    } catch (e) {
      onMessage({ text: `That did not work: ${e instanceof Error ? e.message : String(e)}`, tone: 'error' })
    } finally {
      setBusy(false)
    }
  }
  const stop = (app: CameraUser) =>
    act(async () => {
      const result: StopAppResult = await api.stopApp(app.pid as number)
      setConfirmStop(null)
      onMessage({ text: result.message, tone: result.ok ? 'ok' : 'error' })
    })
  // Main trusts the program the app runs, for the device it uses (here the microphone).
  const trust = (app: CameraUser) =>
    act(async () => {
      const settings = await api.trustApp({ pid: app.pid, name: app.name })
      setTrusted(trustEntries(settings.trustedApps))
      onMessage({
        text: `${foreignString(app.name)} is now trusted for the microphone. Its recording will count as expected.`,
        tone: 'ok',
      })
    })

  return (
    <section aria-labelledby={`${id}-mic`} className="microphone">
      <h2 id={`${id}-mic`}>Microphone</h2>
      <p className="visually-hidden" aria-live="polite">
        {kind === 'loading' ? '' : HEADLINES[kind]}
      </p>
      <div className={`mic-card state-${kind === 'unwatched' ? 'unknown' : kind}`}>
        <div className="state-top">
          <StateIcon kind={kind === 'unwatched' ? 'unknown' : kind} />
          <div>
            <p className="state-badge">{BADGES[kind]}</p>
            <p className="state-headline">{HEADLINES[kind]}</p>
          </div>
        </div>
        {kind === 'off' && <p>No app is using your microphone.</p>}
        {kind === 'expected' && (
          <p>
            {apps.length ? `Used by ${foreignString(appNames(apps))}.` : 'It is being used as expected.'}
            {onFor && ` It has been on for ${onFor}.`}
          </p>
        )}
        {kind === 'unexpected' && (
          <>
            <p>Why CamGuard is telling you{onFor ? ` (on for ${onFor})` : ''}:</p>
            <ul className="reasons">
              {reasons.length ? (
                reasons.map((r) => <li key={r}>{reasonWords(r, 'sentence', { kind: 'microphone' })}</li>)
              ) : (
                <li>It turned on when CamGuard did not expect it.</li>
              )}
            </ul>
          </>
        )}
        {kind === 'unknown' && (
          <p>
            Why: <ForeignText text={mic?.error ?? 'the microphone check did not work.'} /> Treat the
            microphone as possibly on.
          </p>
        )}
        {kind === 'unwatched' && <p>Microphone watching is turned off in Settings.</p>}
      </div>

      {mic && mic.devices.length > 0 && (
        <>
          <h3 className="small-heading">Microphones CamGuard watches</h3>
          <ul className="muted mic-devices">
            {mic.devices.map((d) => (
              <li key={d.id}>
                <ForeignText text={d.name} />: {d.inUse ? 'in use' : 'not in use'}
              </li>
            ))}
          </ul>
        </>
      )}

      {kind !== 'unwatched' && status && (
        <>
          <h3 className="small-heading">Apps using the microphone</h3>
          {apps.length === 0 ? (
            <p>
              {mic?.state === 'on'
                ? 'CamGuard could not name the app that is using your microphone.'
                : 'None right now.'}
            </p>
          ) : (
            <ul className="card-list">
              {apps.map((app, index) => {
                // Trust is per device: an app trusted for the camera is not thereby trusted here.
                const match = matchTrust(app, trusted, 'microphone')
                const isTrusted = match.status === 'trusted'
                const byNameOnly = isTrusted && isNameOnly(match.entry)
                return (
                  <li key={`${app.pid ?? 'nopid'}-${app.name}-${index}`} className="card app-card mic-app">
                    <h4 className="app-name">
                      <ForeignText text={app.name} />
                    </h4>
                    <dl className="facts">
                      <div>
                        <dt>Process</dt>
                        <dd>{app.pid != null ? `number ${app.pid}` : 'number not known'}</dd>
                      </div>
                      <div>
                        <dt>Since</dt>
                        <dd>{since ? `${formatTime(since)} (${onFor})` : 'not known'}</dd>
                      </div>
                      <div>
                        <dt>How CamGuard knows</dt>
                        <dd>{evidenceWords(app.evidence, 'sentence', 'microphone')}</dd>
                      </div>
                      {match.status === 'impersonation' && (
                        <div>
                          <dt>Not the app it claims to be</dt>
                          <dd className="impersonation">
                            <ForeignText text={impersonationText(app, match.entry)} />
                          </dd>
                        </div>
                      )}
                      {app.exe && (
                        <div>
                          <dt>Program file</dt>
                          <dd className="path">
                            <ForeignText text={app.exe} />
                          </dd>
                        </div>
                      )}
                    </dl>
                    {app.pid != null && confirmStop === app.pid ? (
                      <Confirm
                        question={
                          <>
                            Stop <ForeignText text={app.name} /> (process {app.pid})?
                          </>
                        }
                        detail={
                          <>
                            CamGuard will ask it to close, and force it if it does not. Anything unsaved in{' '}
                            <ForeignText text={app.name} /> may be lost.
                          </>
                        }
                        confirmLabel={`Yes, stop ${foreignString(app.name)}`}
                        busy={busy}
                        onConfirm={() => void stop(app)}
                        onCancel={() => {
                          setConfirmStop(null)
                          window.requestAnimationFrame(() =>
                            document
                              .querySelector<HTMLButtonElement>(`[data-stop-mic-pid="${app.pid}"]`)
                              ?.focus(),
                          )
                        }}
                      />
                    ) : (
                      <div className="button-row">
                        {byNameOnly ? (
                          <>
                            <p className="trusted-note">Trusted for the microphone by name only (weaker)</p>
                            <button
                              type="button"
                              className="button"
                              disabled={busy}
                              onClick={() => void trust(app)}
                            >
                              Trust by its program file instead
                            </button>
                          </>
                        ) : isTrusted ? (
                          <p className="trusted-note">Trusted for the microphone</p>
                        ) : (
                          <button
                            type="button"
                            className="button"
                            disabled={busy}
                            onClick={() => void trust(app)}
                          >
                            Trust <ForeignText text={app.name} /> for the microphone
                          </button>
                        )}
                        {/* A trusted app is not offered for stopping: "Stop" is for what should not be there. */}
                        {app.pid != null && !isTrusted && (
                          <button
                            type="button"
                            className="button"
                            data-stop-mic-pid={app.pid}
                            disabled={busy}
                            onClick={() => setConfirmStop(app.pid)}
                          >
                            Stop <ForeignText text={app.name} />…
                          </button>
                        )}
                      </div>
                    )}
                  </li>
                )
              })}
            </ul>
          )}
        </>
      )}
    </section>
  )
}
