import { useEffect, useId, useState } from 'react'
import type { StatusView as Status, StopAppResult } from '../../shared/ipc.js'
import type { CameraUser } from '../../shared/types.js'
import { trustEntries, type TrustEntry } from '../../shared/trust.js'
import { appNames, formatDuration, reasonWords } from '../../shared/words.js'
import { AppCard } from './AppCard.js'
import { useApi } from './camguard-api.js'
import { ForeignText, foreignString } from './ForeignText.js'
import { StateIcon, type StateKind } from './StateIcon.js'
import { elapsedSince } from './format.js'

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
              {apps.map((app, index) => (
                <AppCard
                  key={`${app.pid ?? 'nopid'}-${app.name}-${index}`}
                  app={app}
                  kind="microphone"
                  trusted={trusted}
                  since={since}
                  onFor={onFor}
                  confirming={confirmStop === app.pid}
                  busy={busy}
                  onTrust={(a) => void trust(a)}
                  onAskStop={setConfirmStop}
                  onStop={(a) => void stop(a)}
                  onCancelStop={() => setConfirmStop(null)}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  )
}
