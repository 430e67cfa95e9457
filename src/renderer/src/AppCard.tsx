import type { CameraUser, DeviceKind } from '../../shared/types.js'
import { impersonationText, isNameOnly, matchTrust, type TrustEntry } from '../../shared/trust.js'
import { evidenceWords } from '../../shared/words.js'
import { Confirm } from './Confirm.js'
import { ForeignText, foreignString } from './ForeignText.js'
import { formatTime } from './format.js'

/** What differs between a camera card and a microphone card: the words of trust and where it sits. */
const KIND: Record<
  DeviceKind,
  {
    heading: 'h3' | 'h4'
    className: string
    /** The attribute that marks the Stop button, so Cancel can give it focus back. */
    stopAttr: 'data-stop-pid' | 'data-stop-mic-pid'
    nameOnlyNote: string
    trustedNote: string
    trustSuffix: string | null
  }
> = {
  camera: {
    heading: 'h3',
    className: 'card app-card',
    stopAttr: 'data-stop-pid',
    nameOnlyNote: 'Trusted by name only (weaker)',
    trustedNote: 'Trusted app',
    trustSuffix: null,
  },
  microphone: {
    heading: 'h4',
    className: 'card app-card mic-app',
    stopAttr: 'data-stop-mic-pid',
    nameOnlyNote: 'Trusted for the microphone by name only (weaker)',
    trustedNote: 'Trusted for the microphone',
    trustSuffix: ' for the microphone',
  },
}

interface AppCardProps {
  app: CameraUser
  /** The device the app uses: trust is per device, and so are the words. */
  kind: DeviceKind
  trusted: readonly TrustEntry[]
  /** When the device turned on, and for how long it has been on (already in words). */
  since: string | null
  onFor: string | null
  /** This card is asking whether to stop its app. */
  confirming: boolean
  busy: boolean
  onTrust: (app: CameraUser) => void
  onAskStop: (pid: number) => void
  onStop: (app: CameraUser) => void
  onCancelStop: () => void
}

/** One app using a device: what CamGuard knows of it, then Stop (after a confirmation) and Trust. */
export function AppCard({
  app,
  kind,
  trusted,
  since,
  onFor,
  confirming,
  busy,
  onTrust,
  onAskStop,
  onStop,
  onCancelStop,
}: AppCardProps) {
  const words = KIND[kind]
  // The one trust rule (src/shared/trust.ts), per device: trusted for the camera is not trusted here.
  const match = matchTrust(app, trusted, kind)
  const isTrusted = match.status === 'trusted'
  const byNameOnly = match.status === 'trusted' && isNameOnly(match.entry)
  const Heading = words.heading
  const pid = app.pid
  return (
    <li className={words.className}>
      <Heading className="app-name">
        <ForeignText text={app.name} />
      </Heading>
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
          <dd>{evidenceWords(app.evidence, 'sentence', kind)}</dd>
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
      {pid != null && confirming ? (
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
          onConfirm={() => onStop(app)}
          onCancel={() => {
            onCancelStop()
            // Back to the button that asked, so keyboard users keep their place.
            window.requestAnimationFrame(() =>
              document.querySelector<HTMLButtonElement>(`[${words.stopAttr}="${app.pid}"]`)?.focus(),
            )
          }}
        />
      ) : (
        <div className="button-row">
          {byNameOnly ? (
            <>
              <p className="trusted-note">{words.nameOnlyNote}</p>
              <button type="button" className="button" disabled={busy} onClick={() => onTrust(app)}>
                Trust by its program file instead
              </button>
            </>
          ) : isTrusted ? (
            <p className="trusted-note">{words.trustedNote}</p>
          ) : (
            <button type="button" className="button" disabled={busy} onClick={() => onTrust(app)}>
              Trust <ForeignText text={app.name} />
              {words.trustSuffix}
            </button>
          )}
          {/* A trusted app is not offered for stopping: "Stop" is for what should not be there. */}
          {pid != null && !isTrusted && (
            <button
              type="button"
              className="button"
              {...{ [words.stopAttr]: pid }}
              disabled={busy}
              onClick={() => onAskStop(pid)}
            >
              Stop <ForeignText text={app.name} />…
            </button>
          )}
        </div>
      )}
    </li>
  )
}
