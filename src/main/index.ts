// Composition root of the Electron app: builds the services and hands each module its dependencies.
// No decisions are made here; they live in core and in the small src/main modules, which are unit-tested.
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  protocol,
  session,
  shell,
  Tray,
} from 'electron'
import Store from 'electron-store'
import { ActivityLog } from '../core/activity-log.js'
import { createDetector } from '../core/camera/select.js'
import { withMicrophone } from '../core/microphone/combined.js'
import { createMicDetector } from '../core/microphone/select.js'
import { dataDir } from '../core/data-dir.js'
import { engineControlHandler, startControlServer } from '../core/control.js'
import { createEngine } from '../core/engine.js'
import { ensureDir, writeFileAtomic } from '../core/files.js'
import { loadGuide, resolveRegion, topicsForRegion } from '../core/guide/index.js'
import { acquireMonitorLock } from '../core/lock.js'
import { systemClock } from '../core/ports.js'
import { PUSH } from '../shared/ipc.js'
import { formatActivity } from '../core/activity-export.js'
import { handleAlertAction } from './alert-actions.js'
import { APP_ID, APP_ORIGIN, APP_SCHEME, PRODUCT_NAME } from './app-info.js'
import { autostartCommand, autostartDir, createStartAtLogin, linuxAutostart } from './autostart.js'
import { startAwayMonitor } from './away.js'
import { setupHooks } from './hooks.js'
import { registerIpc } from './ipc.js'
import { createIpcHandlers } from './ipc-handlers.js'
import { createNotifier, showNotice } from './notifications.js'
import { setupEvidence } from './evidence.js'
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol.js'
import { denyAllPermissions, guardWebContents, isAppPageUrl } from './security.js'
import { openAppSettings } from './settings-store.js'
import { createTray } from './tray.js'
import type { TrayAction } from './tray-model.js'
import { createWindowController } from './windows.js'

const log = (message: string): void => console.error(`camguard: ${message}`)
const here = dirname(fileURLToPath(import.meta.url)) // out/main
const platform = process.platform
/** Shipped resources: extraResources when packaged, the repository's resources/ in development. */
const resource = (name: string): string =>
  app.isPackaged ? join(process.resourcesPath, name) : join(app.getAppPath(), 'resources', name)

// --- Before ready: paths, identity, privileged scheme, one instance ---
const dir = dataDir(process.env, platform, homedir())
ensureDir(dir)
// The app and the CLI share one data directory (DESIGN.md §5); Chromium's own files go there too.
app.setPath('userData', dir)
if (platform === 'win32') app.setAppUserModelId(APP_ID)
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])

if (!app.requestSingleInstanceLock()) {
  // The first instance shows its window (see 'second-instance'); this one has nothing to do.
  app.exit(0)
} else {
  start()
}

function start(): void {
  // An empty ELECTRON_RENDERER_URL counts as unset.
  const devServerUrl = (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) || undefined
  const senderPolicy = { isPackaged: app.isPackaged, devServerUrl }
  const openExternal = (url: string): Promise<void> => shell.openExternal(url)

  // Every web contents (there is one window) is locked down as soon as it exists.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal, log))
  // The app lives in the tray: closing the window must not quit.
  app.on('window-all-closed', () => undefined)
  if (platform === 'darwin') app.dock?.hide()

  app
    .whenReady()
    .then(ready)
    .catch((e: unknown) => {
      log(`could not start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
      dialog.showErrorBox(`${PRODUCT_NAME} could not start`, String(e))
      app.exit(1)
    })

  function ready(): void {
    denyAllPermissions(session.defaultSession)
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: join(here, '..', 'renderer') }))

    const notifyDeps = {
      create: (o: Electron.NotificationConstructorOptions) => new Notification(o),
      isSupported: () => Notification.isSupported(),
      platform,
      iconPath: resource(join('icons', 'app-icon.png')),
      log,
    }
    const notice = (message: string): void => showNotice(notifyDeps, PRODUCT_NAME, message)

    const lock = acquireMonitorLock(dir)
    if (!lock.ok) {
      dialog.showErrorBox(
        `${PRODUCT_NAME} is already watching`,
        `Another CamGuard monitor (pid ${lock.holder.pid}) is already watching the camera for ${dir}. Stop it (for example "camguard watch" in a terminal) and start the app again.`,
      )
      app.exit(1)
      return
    }

    const settings = openAppSettings({
      dir,
      createStore: (options) => new Store(options as ConstructorParameters<typeof Store>[0]) as never,
      onNotice: notice,
      log,
    })
    // Asked to end by a signal (a logout, `kill`): quit through before-quit, which releases the lock.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => app.quit())
    const activity = new ActivityLog(dir)
    // A history that cannot be written is told once (and in the status); watching goes on.
    activity.onProblem((problem) => problem && notice(problem))
    const engine = createEngine({
      detector: withMicrophone(
        createDetector({ platform, devicePatterns: () => settings.get().devicePatterns }),
        createMicDetector({ platform, devicePatterns: () => settings.get().micDevicePatterns }),
        () => settings.get().watchMicrophone,
      ),
      settings,
      activity,
      clock: systemClock,
    })
    const hooks = setupHooks({ engine, settings, dir, log })

    const windows = createWindowController({
      // The secure preferences are repeated at the constructor so that no options object can weaken them
      // (and so that static checks such as Electronegativity see them here).
      create: (options) =>
        new BrowserWindow({
          ...options,
          webPreferences: {
            ...options.webPreferences,
            contextIsolation: true,
            sandbox: true,
            nodeIntegration: false,
            webSecurity: true,
            allowRunningInsecureContent: false,
            experimentalFeatures: false,
            disableBlinkFeatures: 'Auxclick',
          },
        }),
      pageUrl: devServerUrl ?? `${APP_ORIGIN}/index.html`,
      preloadPath: join(here, '..', 'preload', 'index.cjs'),
      devTools: !app.isPackaged,
      iconPath: resource(join('icons', 'app-icon.png')),
      log,
    })
    app.on('second-instance', () => windows.show('status'))

    const notifier = createNotifier(notifyDeps)
    const actionDeps = { engine, show: windows.show, log }
    engine.onAlert((alert) =>
      notifier.notify(alert, (action) => handleAlertAction(actionDeps, alert, action)),
    )

    const startAtLogin = createStartAtLogin({
      platform,
      app,
      linux: linuxAutostart(autostartDir(process.env, homedir())),
      command: autostartCommand({
        execPath: process.execPath,
        appImage: process.env.APPIMAGE,
        isPackaged: app.isPackaged,
        appPath: app.getAppPath(),
      }),
      enabled: app.isPackaged,
      log,
    })
    let loginSetting = settings.get().startAtLogin
    startAtLogin.apply(loginSetting)

    const runTrayAction = (action: TrayAction): void => {
      switch (action.type) {
        case 'remind':
          engine.remindIn(action.minutes)
          return
        case 'snooze':
          engine.snooze(null)
          return
        case 'pause':
          engine.pauseAlerts(action.minutes)
          return
        case 'resume':
          engine.resumeAlerts()
          return
        case 'open':
          windows.show(action.view)
          return
        case 'toggle-start-at-login': {
          const result = settings.set('startAtLogin', !settings.get().startAtLogin)
          if (!result.ok) log(result.error)
          return
        }
        case 'quit':
          app.quit()
          return
      }
    }
    const tray = createTray(
      {
        createTray: (image) => new Tray(image),
        buildMenu: (template) => Menu.buildFromTemplate(template),
        imageFromPath: (path) => nativeImage.createFromPath(path),
        iconDir: resource('icons'),
        platform,
        run: (action) => {
          try {
            runTrayAction(action)
          } catch (e) {
            log(`tray action ${action.type} failed: ${String(e)}`)
          }
        },
      },
      { status: engine.status(), startAtLogin: loginSetting },
    )
    const refreshTray = (): void => tray.update({ status: engine.status(), startAtLogin: loginSetting })
    engine.onStatus((status) => {
      tray.update({ status, startAtLogin: loginSetting })
      windows.send(PUSH.status, status)
    })
    const away = startAwayMonitor({
      powerMonitor,
      clock: systemClock,
      awayMinutes: () => settings.get().awayMinutes,
      setUserAway: (isAway) => engine.setUserAway(isAway),
    })
    settings.onChange((s) => {
      if (s.startAtLogin !== loginSetting) {
        loginSetting = s.startAtLogin
        startAtLogin.apply(loginSetting)
      }
      away.check()
      refreshTray()
    })

    const guideDir = resource('guide')
    registerIpc({
      ipcMain,
      isTrustedSender: (url) => isAppPageUrl(url, senderPolicy),
      log,
      handlers: createIpcHandlers({
        engine,
        settings,
        activity: {
          list: () => activity.read().sessions,
          clear: () => activity.clear(),
          format: formatActivity,
        },
        loadGuide: async (setting) => {
          const region = resolveRegion(setting, app.getSystemLocale() || app.getLocale())
          return { topics: topicsForRegion(await loadGuide(guideDir), region), region }
        },
        openExternal,
        chooseSavePath: async (name) => {
          const r = await dialog.showSaveDialog({ defaultPath: join(app.getPath('documents'), name) })
          return r.canceled || !r.filePath ? null : r.filePath
        },
        writePrivateFile: writeFileAtomic,
        hideWindow: () => windows.hide(),
        evidence: setupEvidence({
          dataDir: dir,
          app,
          dialog,
          activity,
          // The report's print window, its secure preferences spelled out here too (see the main window).
          createWindow: (o) =>
            new BrowserWindow({
              ...o,
              webPreferences: {
                ...o.webPreferences,
                contextIsolation: true,
                sandbox: true,
                nodeIntegration: false,
                javascript: false,
                disableBlinkFeatures: 'Auxclick',
              },
            }),
          log,
        }),
      }),
    })

    // Stop watching cleanly on quit: the open camera session is closed in the activity log.
    let stopping = false
    app.on('before-quit', (event) => {
      if (stopping) return
      stopping = true
      event.preventDefault()
      away.stop()
      void control.then((c) => c?.close())
      engine
        .stop()
        .then(() => hooks.stop())
        .catch((e: unknown) => log(`stopping the engine failed: ${String(e)}`))
        .finally(() => {
          const lost = activity.close()
          if (lost) log(lost)
          settings.close()
          lock.release()
          tray.destroy()
          app.quit()
        })
    })

    // `camguard remind|snooze` reach the app the same way they reach `camguard watch`.
    const control = startControlServer(dir, engineControlHandler(engine)).catch((e: unknown) => {
      log(`the control socket could not start: ${String(e)}`)
      return null
    })

    engine.start().catch((e: unknown) => {
      log(`the camera monitor could not start: ${String(e)}`)
      notice(`CamGuard could not start watching the camera: ${e instanceof Error ? e.message : String(e)}`)
      refreshTray()
    })
  }
}
