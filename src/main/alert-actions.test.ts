import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings.js'
import type { StopAppResult } from '../shared/ipc.js'
import type { TrustEntry } from '../shared/trust.js'
import type { CameraUser } from '../shared/types.js'
import { decideAlert } from '../core/policy.js'
import type { Alert, AlertStopTarget } from '../core/ports.js'
import { handleAlertAction } from './alert-actions.js'

const zoom: CameraUser = { pid: 42, name: 'zoom', exe: '/opt/zoom/zoom', evidence: 'streaming' }
const spy: CameraUser = { pid: 43, name: 'spycam', exe: '/tmp/x/spycam', evidence: 'open' }
const settings: Settings = {
  ...DEFAULT_SETTINGS,
  trustedApps: [{ exe: '/opt/zoom/zoom', name: 'zoom', kinds: ['camera'] }],
}

/** The alert the policy raises when spycam joins zoom's camera session. */
function joinAlert(): Alert {
  const alert = decideAlert(
    {
      type: 'apps-changed',
      kind: 'camera',
      at: '',
      apps: [zoom, spy],
      unexpected: true,
      reasons: ['untrusted-app'],
    },
    { settings, at: new Date(), userAway: null, paused: false },
  )
  if (!alert) throw new Error('no alert')
  return alert
}

function setup() {
  const calls: string[] = []
  let settle: () => void = () => undefined
  const settled = new Promise<void>((r) => (settle = r))
  const deps = {
    engine: {
      trust: (entries: TrustEntry[]) => {
        calls.push(...entries.map((e) => `trust ${e.exe}`))
        settle()
        return settings
      },
      remindIn: (m: number) => (calls.push(`remind ${m}`), settle(), {} as never),
      stopApp: async (t: AlertStopTarget): Promise<StopAppResult> => {
        calls.push(`stop ${t.pid} ${t.exe}`)
        settle()
        return { ok: true, pid: t.pid, outcome: 'terminated', message: '' }
      },
    },
    show: (v: string) => calls.push(`show ${v}`),
    log: () => undefined,
  }
  return { calls, deps, settled }
}

describe('notification actions in the app', () => {
  it.each([
    ['click', ['show status']],
    ['open-guide', ['show guide']],
  ] as const)('%s opens a view', (action, expected) => {
    const { calls, deps } = setup()
    handleAlertAction(deps, joinAlert(), action)
    expect(calls).toEqual(expected)
  })

  it.each([
    ['remind-15', ['remind 15']],
    // A trusted app (zoom) and an untrusted one (spycam) in one alert: only spycam is acted on.
    ['trust', ['show status', 'trust /tmp/x/spycam']],
    ['stop-app', ['show status', 'stop 43 /tmp/x/spycam']],
  ] as const)('%s acts on the untrusted app only', async (action, expected) => {
    const { calls, deps, settled } = setup()
    handleAlertAction(deps, joinAlert(), action)
    await settled
    expect(calls).toEqual(expected)
  })
})
