// A recording stand-in for the 'electron' module (main-process APIs the app uses). It records what the app does
// and, with FAKE_ELECTRON_SCENARIO=boot, drives it: wait for start-up, click "Open guide" in the tray menu, quit.
// The record is written as JSON to FAKE_ELECTRON_RECORD when the process exits.
import { EventEmitter } from 'node:events'
import { writeFileSync } from 'node:fs'

const rec = {
  calls: [],
  paths: {},
  schemes: [],
  protocols: [],
  ipcHandle: [],
  ipcOn: [],
  permissionHandlers: [],
  windows: [],
  trays: [],
  notifications: [],
  errors: [],
  webContentsGuards: [],
  phases: {},
  exitCode: null,
}
const call = (name, ...args) =>
  rec.calls.push([name, ...args.map((a) => (typeof a === 'function' ? '[fn]' : a))])

process.on('exit', (code) => {
  rec.exitCode ??= code
  if (process.env.FAKE_ELECTRON_RECORD)
    writeFileSync(process.env.FAKE_ELECTRON_RECORD, JSON.stringify(rec, null, 1))
})

// --- app ---
class App extends EventEmitter {
  isPackaged = false
  #ready = null
  #readyResolve = null
  constructor() {
    super()
    this.#ready = new Promise((r) => (this.#readyResolve = r))
    // Electron emits 'ready' after the main script's first turn.
    setTimeout(() => {
      this.emit('ready')
      this.#readyResolve()
    }, 10)
  }
  whenReady() {
    return this.#ready
  }
  isReady() {
    return true
  }
  getPath(name) {
    return rec.paths[name] ?? `/tmp/fake-electron-${name}`
  }
  setPath(name, value) {
    call('app.setPath', name, value)
    rec.paths[name] = value
  }
  getAppPath() {
    return process.env.FAKE_APP_PATH ?? process.cwd()
  }
  getVersion() {
    return '0.0.0-fake'
  }
  getName() {
    return 'CamGuard'
  }
  getLocale() {
    return 'en-GB'
  }
  getSystemLocale() {
    return 'en-GB'
  }
  setAppUserModelId(id) {
    call('app.setAppUserModelId', id)
  }
  requestSingleInstanceLock() {
    const got = process.env.FAKE_SINGLE_INSTANCE_LOCK !== '0'
    call('app.requestSingleInstanceLock', got)
    return got
  }
  setLoginItemSettings(s) {
    call('app.setLoginItemSettings', s)
  }
  getLoginItemSettings() {
    return { openAtLogin: false }
  }
  quit() {
    call('app.quit')
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true
      },
    }
    this.emit('before-quit', event)
    if (event.defaultPrevented) return
    this.emit('will-quit', event)
    if (!event.defaultPrevented) this.exit(0)
  }
  exit(code = 0) {
    call('app.exit', code)
    rec.exitCode = code
    process.exit(code)
  }
  dock = undefined
}
export const app = new App()

// --- windows and web contents ---
class WebContents extends EventEmitter {
  constructor(win) {
    super()
    this.win = win
  }
  send(channel, ...args) {
    this.win.sent.push([channel, ...args])
  }
  isLoading() {
    return false
  }
  setWindowOpenHandler(fn) {
    this.win.windowOpenHandler = typeof fn === 'function'
  }
}
export class BrowserWindow extends EventEmitter {
  constructor(options = {}) {
    super()
    this.record = { options, url: null, sent: [], windowOpenHandler: false, shown: false, destroyed: false }
    rec.windows.push(this.record)
    this.webContents = new WebContents(this.record)
    app.emit('web-contents-created', {}, this.webContents)
    rec.webContentsGuards.push({
      willNavigate: this.webContents.listenerCount('will-navigate'),
      windowOpenHandler: this.record.windowOpenHandler,
    })
  }
  async loadURL(url) {
    this.record.url = url
    setTimeout(() => {
      this.webContents.emit('did-finish-load')
      this.emit('ready-to-show')
    }, 5)
  }
  show() {
    this.record.shown = true
  }
  hide() {
    this.record.shown = false
  }
  focus() {}
  restore() {}
  isMinimized() {
    return false
  }
  isDestroyed() {
    return this.record.destroyed
  }
  close() {
    this.record.destroyed = true
    this.emit('closed')
  }
  destroy() {
    this.close()
  }
}

// --- tray, menu, images ---
const plain = (template) =>
  template.map((i) => ({
    label: i.label,
    type: i.type,
    enabled: i.enabled,
    checked: i.checked,
    clickable: typeof i.click === 'function',
    ...(i.submenu ? { submenu: plain(i.submenu) } : {}),
  }))
export const Menu = {
  buildFromTemplate(template) {
    return { template, items: plain(template) }
  },
}
export class Tray extends EventEmitter {
  constructor(image) {
    super()
    this.record = { image: image?.path ?? null, tooltip: null, menus: [], images: [] }
    this.menu = null
    rec.trays.push(this.record)
  }
  setImage(image) {
    this.record.images.push(image?.path ?? null)
  }
  setToolTip(t) {
    this.record.tooltip = t
  }
  setContextMenu(menu) {
    this.menu = menu
    this.record.menus.push(menu.items)
  }
  destroy() {
    this.record.destroyed = true
  }
}
export const nativeImage = {
  createFromPath(path) {
    return { path, isEmpty: () => false, setTemplateImage() {} }
  },
  createEmpty() {
    return { path: null, isEmpty: () => true, setTemplateImage() {} }
  },
}
export class Notification extends EventEmitter {
  static isSupported() {
    return true
  }
  constructor(options) {
    super()
    rec.notifications.push(options)
  }
  show() {}
}

// --- IPC, protocol, session, shell, dialog, power ---
export const ipcMain = {
  handle(channel, fn) {
    rec.ipcHandle.push(channel)
    this.handlers.set(channel, fn)
  },
  removeHandler(channel) {
    this.handlers.delete(channel)
  },
  on(channel) {
    rec.ipcOn.push(channel)
  },
  handlers: new Map(),
}
export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    rec.schemes.push(...schemes)
  },
  handle(scheme, fn) {
    rec.protocols.push(scheme)
    protocol.handlers.set(scheme, fn)
  },
  handlers: new Map(),
}
const defaultSession = {}
for (const name of [
  'setPermissionRequestHandler',
  'setPermissionCheckHandler',
  'setDevicePermissionHandler',
]) {
  defaultSession[name] = (fn) => {
    rec.permissionHandlers.push(name)
    defaultSession[`_${name}`] = fn
  }
}
export const session = { defaultSession }
export const shell = {
  async openExternal(url) {
    call('shell.openExternal', url)
  },
  async openPath() {
    return ''
  },
}
export const dialog = {
  showErrorBox(title, content) {
    rec.errors.push({ title, content })
  },
  async showSaveDialog() {
    return { canceled: true }
  },
}
class PowerMonitor extends EventEmitter {
  getSystemIdleTime() {
    return 0
  }
}
export const powerMonitor = new PowerMonitor()
export const contextBridge = { exposeInMainWorld() {} }
export const ipcRenderer = new EventEmitter()

// --- the boot scenario ---
async function appPageCall(channel, ...args) {
  const fn = ipcMain.handlers.get(channel)
  return fn({ senderFrame: { url: 'app://camguard/index.html' } }, ...args)
}
async function foreignCall(channel) {
  try {
    await ipcMain.handlers.get(channel)({ senderFrame: { url: 'https://evil.example/' } })
    return 'accepted'
  } catch (e) {
    return String(e.message)
  }
}
if (process.env.FAKE_ELECTRON_SCENARIO === 'boot') {
  app.whenReady().then(() =>
    setTimeout(
      async () => {
        try {
          rec.phases.beforeOpen = { windows: rec.windows.length }
          // The engine's first check may take a while on a busy machine: wait for it, not for a clock.
          for (let i = 0; i < 200; i++) {
            rec.phases.status = await appPageCall('camguard:get-status')
            if (rec.phases.status?.snapshot?.state !== 'unknown') break
            await new Promise((r) => setTimeout(r, 50))
          }
          rec.phases.settings = await appPageCall('camguard:get-settings')
          rec.phases.guide = await appPageCall('camguard:get-guide')
          rec.phases.evidence = await appPageCall('camguard:list-evidence')
          rec.phases.evidenceRefused = await appPageCall('camguard:delete-all-evidence', 'yes').catch(
            (e) => e.message,
          )
          rec.phases.foreign = await foreignCall('camguard:get-settings')
          const page = await protocol.handlers.get('app')?.({ url: 'app://camguard/index.html' })
          rec.phases.page = page
            ? { status: page.status, csp: page.headers.get('content-security-policy') }
            : null
          // Click "Open guide" in the live tray menu, as a user would.
          trays[0]?.menu?.template.find((i) => i.label === 'Open guide')?.click()
          setTimeout(() => {
            rec.phases.afterOpen = { windows: rec.windows.length }
            app.quit()
            // The app stops its engine before quitting; give it a moment, then report a hang.
            setTimeout(() => {
              rec.errors.push({ title: 'quit timed out', content: '' })
              process.exit(3)
            }, 5000).unref()
          }, 100)
        } catch (e) {
          rec.errors.push({ title: 'scenario failed', content: String(e?.stack ?? e) })
          process.exit(4)
        }
      },
      Number(process.env.FAKE_ELECTRON_SETTLE_MS ?? 500),
    ),
  )
}
// Live Tray objects (records are plain data), for clicking menu items.
const trays = []
const origSetContextMenu = Tray.prototype.setContextMenu
Tray.prototype.setContextMenu = function (menu) {
  if (!trays.includes(this)) trays.push(this)
  origSetContextMenu.call(this, menu)
}

export default {
  app,
  BrowserWindow,
  Menu,
  Tray,
  nativeImage,
  Notification,
  ipcMain,
  protocol,
  session,
  shell,
  dialog,
  powerMonitor,
  contextBridge,
  ipcRenderer,
}
