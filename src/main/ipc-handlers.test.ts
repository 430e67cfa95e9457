import { describe, expect, it } from 'vitest'
import type { Engine, SettingsStore } from '../core/ports.js'
import { DEFAULT_SETTINGS } from '../shared/settings.js'
import type { EvidenceHandlers } from './evidence.js'
import { createIpcHandlers, type HandlerDeps } from './ipc-handlers.js'

const EVIDENCE = [
  'listEvidence',
  'pickEvidenceFiles',
  'addEvidence',
  'updateEvidence',
  'deleteEvidence',
  'deleteAllEvidence',
  'exportEvidence',
] as const

function setup(over: Partial<HandlerDeps> = {}) {
  const calls: string[] = []
  const rec =
    (name: string, result: unknown = name) =>
    (...args: unknown[]) => {
      calls.push(`${name} ${JSON.stringify(args)}`)
      return result
    }
  const engine = new Proxy({} as Engine, { get: (_t, name: string) => rec(`engine.${name}`) })
  const settings: SettingsStore = {
    path: '/x/settings.json',
    get: () => ({ ...DEFAULT_SETTINGS, region: 'ie' }),
    set: rec('settings.set', { ok: true, settings: DEFAULT_SETTINGS }) as SettingsStore['set'],
    reset: () => DEFAULT_SETTINGS,
    onChange: () => () => undefined,
  }
  const written: [string, string][] = []
  const handlers = createIpcHandlers({
    engine,
    settings,
    activity: { list: () => [], clear: () => 3, format: (_s, f) => `formatted ${f}` },
    loadGuide: async (region) => ({ topics: [], region: region === 'auto' ? 'uk' : region }),
    openExternal: async (u) => void calls.push(`open ${u}`),
    chooseSavePath: async (name) => `/home/u/${name}`,
    writePrivateFile: (p, c) => written.push([p, c]),
    hideWindow: rec('hide'),
    evidence: Object.fromEntries(
      EVIDENCE.map((n) => [n, rec(`evidence.${n}`)]),
    ) as unknown as EvidenceHandlers,
    now: () => new Date('2026-03-04T05:06:07Z'),
    ...over,
  })
  return { handlers, calls, written }
}

describe('IPC handlers', () => {
  it('pass engine calls through', async () => {
    const { handlers, calls } = setup()
    await handlers.trustApp({ pid: 42, name: 'zoom' })
    await handlers.stopApp(42)
    await handlers.snooze(null)
    await handlers.pauseAlerts(60)
    expect(calls).toEqual([
      'engine.trustApp [{"pid":42,"name":"zoom"}]',
      'engine.stopApp [42]',
      'engine.snooze [null]',
      'engine.pauseAlerts [60]',
    ])
  })

  it('load the guide for the settings region unless one is asked for', async () => {
    const { handlers } = setup()
    expect((await handlers.getGuide(undefined)).region).toBe('ie')
    expect((await handlers.getGuide('ca')).region).toBe('ca')
  })

  it('open only allowlisted links', async () => {
    const { handlers, calls } = setup()
    expect(await handlers.openExternal('https://www.nspcc.org.uk/')).toBe(true)
    expect(await handlers.openExternal('https://example.com/')).toBe(false)
    expect(calls).toEqual(['open https://www.nspcc.org.uk/'])
  })

  it('export activity where the user chose, or nowhere when cancelled', async () => {
    const { handlers, written } = setup()
    expect(await handlers.exportActivity('csv')).toEqual({
      saved: true,
      path: '/home/u/camguard-activity-2026-03-04.csv',
    })
    expect(written).toEqual([['/home/u/camguard-activity-2026-03-04.csv', 'formatted csv']])
    const cancelled = setup({ chooseSavePath: async () => null })
    expect(await cancelled.handlers.exportActivity('json')).toEqual({ saved: false, path: null })
    expect(cancelled.written).toEqual([])
  })

  it('hide the window and clear activity', async () => {
    const { handlers, calls } = setup()
    await handlers.hideWindow()
    expect(await handlers.clearActivity()).toBe(3)
    expect(calls).toEqual(['hide []'])
  })

  it('hand the evidence channels to the notebook', async () => {
    const { handlers, calls } = setup()
    await handlers.listEvidence()
    await handlers.deleteEvidence('0000000a')
    await handlers.exportEvidence({ from: null, to: null, zip: true, pdf: false })
    expect(calls).toEqual([
      'evidence.listEvidence []',
      'evidence.deleteEvidence ["0000000a"]',
      'evidence.exportEvidence [{"from":null,"to":null,"zip":true,"pdf":false}]',
    ])
  })
})
