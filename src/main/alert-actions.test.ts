import { describe, expect, it } from 'vitest'
import type { Alert } from '../core/ports.js'
import type { StopAppResult } from '../shared/ipc.js'
import { handleAlertAction } from './alert-actions.js'

const alert: Alert = {
  kind: 'unexpected',
  device: 'camera',
  urgency: 'critical',
  title: 't',
  body: 'b',
  apps: [
    { pid: 42, name: 'zoom', exe: null, evidence: 'open' },
    { pid: 43, name: 'zoom', exe: null, evidence: 'open' },
    { pid: null, name: 'unknown', exe: null, evidence: 'os-report' },
  ],
  reasons: ['untrusted-app'],
  at: '',
  actions: [],
}

function setup() {
  const calls: string[] = []
  const deps = {
    engine: {
      trust: (n: string) => (calls.push(`trust ${n}`), {} as never),
      remindIn: (m: number) => (calls.push(`remind ${m}`), {} as never),
      stopApp: async (pid: number): Promise<StopAppResult> => {
        calls.push(`stop ${pid}`)
        return { ok: true, pid, outcome: 'terminated', message: '' }
      },
    },
    show: (v: string) => calls.push(`show ${v}`),
    log: () => undefined,
  }
  return { calls, deps }
}

describe('notification actions', () => {
  it.each([
    ['click', ['show status']],
    ['open-guide', ['show guide']],
    ['remind-15', ['remind 15']],
    ['trust', ['trust zoom', 'trust unknown', 'show status']],
    ['stop-app', ['show status', 'stop 42', 'stop 43']],
  ] as const)('%s', (action, expected) => {
    const { calls, deps } = setup()
    handleAlertAction(deps, alert, action)
    expect(calls).toEqual(expected)
  })
})
