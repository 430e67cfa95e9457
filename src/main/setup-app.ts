// The app itself before and as it becomes ready: the data directory as Electron's userData, the app's
// identity and privileged scheme, every web contents locked down, and the session's permissions and
// app:// pages. The rules are in security.ts and protocol.ts (unit-tested); this file wires them.
import { homedir } from 'node:os'
import { join } from 'node:path'
import { app, protocol, session } from 'electron'
import { dataDir } from '../core/data-dir.js'
import { ensureDir } from '../core/files.js'
import { APP_ID, APP_SCHEME } from './app-info.js'
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol.js'
import { denyAllPermissions, guardWebContents } from './security.js'
import type { AppContext } from './setup-context.js'

/** Before ready. Returns the data directory, which the app shares with the `camguard` command. */
export function setupPaths(): string {
  const dir = dataDir(process.env, process.platform, homedir())
  ensureDir(dir)
  // Chromium's own files go to the shared data directory too (see docs/architecture.md, "Files").
  app.setPath('userData', dir)
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID)
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
  return dir
}

/** Before ready: every web contents is locked down as soon as it exists; the app lives in the tray. */
export function setupAppEvents(ctx: AppContext): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, ctx.openExternal, ctx.log))
  // Closing the window must not quit.
  app.on('window-all-closed', () => undefined)
  if (ctx.platform === 'darwin') app.dock?.hide()
}

/** At ready: no permission is ever granted; app:// serves the built renderer. */
export function setupSession(ctx: AppContext): void {
  denyAllPermissions(session.defaultSession)
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: join(ctx.here, '..', 'renderer') }))
}
