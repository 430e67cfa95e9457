import { describe, expect, it } from 'vitest'
import { IPC, PUSH, type IpcName } from '../shared/ipc.js'
import { buildApi } from './api.js'
import { CHANNELS, PUSH_CHANNELS } from './channels.js'

function fakeIpc() {
  const invoked: unknown[][] = []
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>()
  return {
    invoked,
    emit: (ch: string, v: unknown) => listeners.get(ch)?.forEach((f) => f({ sender: 'secret' }, v)),
    count: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
    ipc: {
      invoke: async (...a: unknown[]) => (invoked.push(a), 'r'),
      on: (ch: string, f: (...a: unknown[]) => void) =>
        listeners.set(ch, (listeners.get(ch) ?? new Set()).add(f)),
      removeListener: (ch: string, f: (...a: unknown[]) => void) => listeners.get(ch)?.delete(f),
    },
  }
}

describe('preload api', () => {
  it('has the contract channels (no zod needed at runtime)', () => {
    for (const name of Object.keys(IPC) as IpcName[]) expect(CHANNELS[name]).toBe(IPC[name].channel)
    expect(Object.keys(CHANNELS).sort()).toEqual(Object.keys(IPC).sort())
    expect(PUSH_CHANNELS).toEqual(PUSH)
  })

  it('exposes one named function per channel plus the two listeners, and nothing else', async () => {
    const f = fakeIpc()
    const api = buildApi(f.ipc as never)
    expect(Object.keys(api).sort()).toEqual([...Object.keys(IPC), 'onNavigate', 'onStatus'].sort())
    expect(Object.isFrozen(api)).toBe(true)
    await api.remindIn(15)
    await api.setSetting('awayMinutes', 3)
    expect(f.invoked).toEqual([
      ['camguard:remind-in', 15],
      ['camguard:set-setting', 'awayMinutes', 3],
    ])
  })

  it('passes listeners only the payload, and unsubscribes', () => {
    const f = fakeIpc()
    const api = buildApi(f.ipc as never)
    const got: unknown[][] = []
    const off = api.onNavigate((...a: unknown[]) => got.push(a))
    const off2 = api.onStatus((...a: unknown[]) => got.push(a))
    f.emit(PUSH.navigate, 'guide')
    expect(got).toEqual([['guide']])
    off()
    off2()
    expect(f.count()).toBe(0)
    f.emit(PUSH.navigate, 'status')
    expect(got).toHaveLength(1)
  })
})
