import { describe, expect, it } from 'vitest'
import { IPC, type IpcName } from '../shared/ipc.js'
import { registerIpc, type IpcHandlers } from './ipc.js'
import { isAppPageUrl } from './security.js'

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>

function setup() {
  const registered = new Map<string, Handler>()
  const called: string[] = []
  const handlers = new Proxy({} as IpcHandlers, {
    get:
      (_t, name: string) =>
      (...args: unknown[]) => {
        called.push(`${name}(${JSON.stringify(args)})`)
        return 'ok'
      },
  })
  const remove = registerIpc({
    ipcMain: {
      handle: ((channel: string, fn: Handler) => registered.set(channel, fn)) as never,
      removeHandler: ((channel: string) => registered.delete(channel)) as never,
    },
    isTrustedSender: (url) => isAppPageUrl(url, { isPackaged: true }),
    handlers,
  })
  const invoke = (name: IpcName, url: string | null, ...args: unknown[]) =>
    registered.get(IPC[name].channel)!(
      url === null ? { senderFrame: null } : { senderFrame: { url } },
      ...args,
    )
  return { registered, called, invoke, remove }
}

const APP = 'app://camguard/index.html'

describe('IPC registration', () => {
  it('registers one handler per contract entry, and removes them all', () => {
    const { registered, remove } = setup()
    expect([...registered.keys()].sort()).toEqual(
      Object.values(IPC)
        .map((c) => c.channel)
        .sort(),
    )
    remove()
    expect(registered.size).toBe(0)
  })

  it('runs a good call from the app page with the parsed arguments', async () => {
    const { invoke, called } = setup()
    await expect(invoke('remindIn', APP, 15)).resolves.toBe('ok')
    await expect(invoke('snooze', APP, null)).resolves.toBe('ok')
    await expect(invoke('setSetting', APP, 'awayMinutes', 10)).resolves.toBe('ok')
    await expect(invoke('trustApp', APP, { pid: 42, name: '  zoom  ' })).resolves.toBe('ok')
    await expect(invoke('getGuide', APP)).resolves.toBe('ok')
    expect(called).toEqual([
      'remindIn([15])',
      'snooze([null])',
      'setSetting(["awayMinutes",10])',
      'trustApp([{"pid":42,"name":"zoom"}])',
      'getGuide([])',
    ])
  })

  it.each([
    ['https://evil.example/', 'a web page'],
    ['file:///tmp/x.html', 'a file page'],
    ['app://other/index.html', 'another app host'],
    [null, 'a frame that is gone'],
  ])('refuses every channel from %s (%s) and runs nothing', async (url: string | null, _why: string) => {
    const { invoke, called } = setup()
    for (const name of Object.keys(IPC) as IpcName[]) {
      await expect(invoke(name, url)).rejects.toThrow(/not one of the app's own pages/)
    }
    expect(called).toEqual([])
  })

  it.each([
    ['remindIn', ['15']],
    ['remindIn', [-1]],
    ['remindIn', [100000]],
    ['stopApp', [1.5]],
    ['stopApp', [0]],
    ['setSetting', ['notASetting', 1]],
    ['trustApp', ['zoom']],
    ['trustApp', [{ pid: 42, name: '' }]],
    ['trustApp', [{ pid: 42, name: 'x'.repeat(300) }]],
    ['trustApp', [{ pid: 42, name: 'zoom', exe: '/tmp/x' }]],
    ['exportActivity', ['pdf']],
    ['getGuide', ['mars']],
    ['openExternal', ['x'.repeat(3000)]],
    ['getStatus', ['extra']],
    ['hideWindow', [{}]],
  ] as [IpcName, unknown[]][])('refuses %s with bad arguments %j', async (name, args) => {
    const { invoke, called } = setup()
    await expect(invoke(name, APP, ...args)).rejects.toThrow(new RegExp(`refused ${name}: invalid arguments`))
    expect(called).toEqual([])
  })
})
