// The one window: created on demand, destroyed when closed; the app itself lives in the tray.
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron'
import { PUSH, type View } from '../shared/ipc.js'
import { PRODUCT_NAME } from './app-info.js'
import { secureWebPreferences } from './security.js'

type WindowLike = Pick<
  BrowserWindow,
  'on' | 'once' | 'show' | 'hide' | 'focus' | 'restore' | 'isMinimized' | 'isDestroyed' | 'close' | 'loadURL'
> & { webContents: Pick<BrowserWindow['webContents'], 'send' | 'once' | 'isLoading'> }

export interface WindowDeps {
  create: (options: BrowserWindowConstructorOptions) => WindowLike
  /** The page to load: app://camguard/index.html, or the dev server in development. */
  pageUrl: string
  preloadPath: string
  devTools: boolean
  iconPath?: string
  log: (message: string) => void
}

export interface WindowController {
  show(view: View): void
  /** Quick exit: the window disappears at once, then is destroyed (nothing of the guide stays on screen). */
  hide(): void
  send(channel: string, payload: unknown): void
  isOpen(): boolean
}

export function windowOptions(
  deps: Pick<WindowDeps, 'preloadPath' | 'devTools' | 'iconPath'>,
): BrowserWindowConstructorOptions {
  return {
    width: 900,
    height: 680,
    minWidth: 520,
    minHeight: 420,
    show: false,
    title: PRODUCT_NAME,
    autoHideMenuBar: true,
    ...(deps.iconPath ? { icon: deps.iconPath } : {}),
    webPreferences: secureWebPreferences(deps.preloadPath, deps.devTools),
  }
}

export function createWindowController(deps: WindowDeps): WindowController {
  let win: WindowLike | null = null
  const alive = (): WindowLike | null => (win && !win.isDestroyed() ? win : null)

  const navigate = (w: WindowLike, view: View): void => {
    const go = (): void => w.webContents.send(PUSH.navigate, view)
    if (w.webContents.isLoading()) w.webContents.once('did-finish-load', go)
    else go()
  }

  return {
    show(view) {
      const existing = alive()
      if (existing) {
        if (existing.isMinimized()) existing.restore()
        existing.show()
        existing.focus()
        navigate(existing, view)
        return
      }
      const w = deps.create(windowOptions(deps))
      win = w
      w.on('closed', () => {
        if (win === w) win = null
      })
      w.once('ready-to-show', () => {
        w.show()
        w.focus()
      })
      // The view also travels in the URL's hash, so the first paint is already the right view.
      w.webContents.once('did-finish-load', () => w.webContents.send(PUSH.navigate, view))
      w.loadURL(`${deps.pageUrl}#${view}`).catch((e: unknown) =>
        deps.log(`could not load the window: ${String(e)}`),
      )
    },
    hide() {
      const w = alive()
      if (!w) return
      w.hide()
      setImmediate(() => {
        if (!w.isDestroyed()) w.close()
      })
    },
    send(channel, payload) {
      const w = alive()
      if (w) w.webContents.send(channel, payload)
    },
    isOpen: () => alive() !== null,
  }
}
