import { describe, expect, it } from 'vitest'
import type { BrowserWindowConstructorOptions } from 'electron'
import { PUSH } from '../shared/ipc.js'
import { createWindowController, type WindowDeps } from './windows.js'

function setup() {
  const windows: {
    options: BrowserWindowConstructorOptions
    events: Record<string, () => void>
    wc: Record<string, () => void>
    sent: [string, unknown][]
    calls: string[]
    destroyed: boolean
    url?: string
  }[] = []
  const create: WindowDeps['create'] = (options) => {
    const w = {
      options,
      events: {} as Record<string, () => void>,
      wc: {} as Record<string, () => void>,
      sent: [] as [string, unknown][],
      calls: [] as string[],
      destroyed: false,
      url: undefined as string | undefined,
    }
    windows.push(w)
    const fake = {
      on: (e: string, f: () => void) => ((w.events[e] = f), fake),
      once: (e: string, f: () => void) => ((w.events[e] = f), fake),
      show: () => w.calls.push('show'),
      hide: () => w.calls.push('hide'),
      focus: () => w.calls.push('focus'),
      restore: () => w.calls.push('restore'),
      isMinimized: () => false,
      isDestroyed: () => w.destroyed,
      close: () => {
        w.calls.push('close')
        w.destroyed = true
        w.events.closed?.()
      },
      loadURL: async (u: string) => void (w.url = u),
      webContents: {
        send: (c: string, p: unknown) => w.sent.push([c, p]),
        once: (e: string, f: () => void) => (w.wc[e] = f),
        isLoading: () => false,
      },
    }
    return fake as never
  }
  const c = createWindowController({
    create,
    pageUrl: 'app://camguard/index.html',
    preloadPath: '/out/preload/index.cjs',
    devTools: false,
    log: () => undefined,
  })
  return { c, windows }
}

describe('window controller', () => {
  it('creates no window until asked, then one secure window showing the view', () => {
    const { c, windows } = setup()
    expect(windows).toHaveLength(0)
    expect(c.isOpen()).toBe(false)
    c.show('guide')
    expect(windows).toHaveLength(1)
    const w = windows[0]!
    expect(w.options.show).toBe(false)
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: '/out/preload/index.cjs',
    })
    expect(w.url).toBe('app://camguard/index.html#guide')
    w.wc['did-finish-load']!()
    w.events['ready-to-show']!()
    expect(w.sent).toEqual([[PUSH.navigate, 'guide']])
    expect(w.calls).toEqual(['show', 'focus'])
  })

  it('reuses the open window and navigates it', () => {
    const { c, windows } = setup()
    c.show('status')
    c.show('settings')
    expect(windows).toHaveLength(1)
    expect(windows[0]!.sent).toEqual([[PUSH.navigate, 'settings']])
  })

  it('hides at once on quick exit, then destroys the window; the next show makes a new one', async () => {
    const { c, windows } = setup()
    c.show('guide')
    c.hide()
    expect(windows[0]!.calls).toEqual(['hide'])
    await new Promise((r) => setImmediate(r))
    expect(windows[0]!.calls).toEqual(['hide', 'close'])
    expect(c.isOpen()).toBe(false)
    c.send(PUSH.status, {}) // nothing to send to: no error
    c.show('status')
    expect(windows).toHaveLength(2)
  })
})
