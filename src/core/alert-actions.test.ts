// The one alert action function: it acts on the alert's targets only. (The identity re-check of a
// stop is src/core/stop-app.ts's, tested there.)
import { describe, expect, it } from 'vitest'
import type { TrustEntry } from '../shared/trust.js'
import { carryOutAlertAction } from './alert-actions.js'
import type { Alert, AlertStopTarget } from './ports.js'

describe('carryOutAlertAction', () => {
  const spy: TrustEntry = { exe: '/tmp/spycam', name: 'spycam', kinds: ['camera'] }
  const alert = {
    apps: [
      { pid: 1, name: 'zoom', exe: '/opt/zoom/zoom', evidence: 'open' },
      { pid: 2, name: 'spycam', exe: '/tmp/spycam', evidence: 'open' },
    ],
    targets: { stop: [{ pid: 2, name: 'spycam', exe: '/tmp/spycam' }], trust: [spy], refused: [] },
  } as unknown as Alert

  it('trusts and stops the targets only, never every app of the alert', async () => {
    const calls: string[] = []
    const deps = {
      trust: (e: TrustEntry[]) => (calls.push(`trust ${e.map((x) => x.exe).join()}`), {} as never),
      stop: async (t: AlertStopTarget) => (
        calls.push(`stop ${t.pid}`),
        { ok: true, pid: t.pid, outcome: 'terminated' as const, message: '' }
      ),
      remindIn: (m: number) => calls.push(`remind ${m}`),
    }
    expect((await carryOutAlertAction(deps, alert, 'trust')).trusted).toEqual([spy])
    expect((await carryOutAlertAction(deps, alert, 'stop-app')).stopped).toHaveLength(1)
    await carryOutAlertAction(deps, alert, 'remind-15')
    expect(calls).toEqual(['trust /tmp/spycam', 'stop 2', 'remind 15'])
  })
})
