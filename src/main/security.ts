// Electron's security checklist in one place: window preferences, CSP, permissions, navigation, external links.
import type { Session, WebContents, WebPreferences } from 'electron'
import { isAllowedExternalUrl } from '../shared/guide.js'
import { APP_HOST, APP_SCHEME } from './app-info.js'

/** Every BrowserWindow gets exactly these; the boot test checks the built bundle creates windows with them. */
export function secureWebPreferences(preload: string, devTools: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    // Middle-click would otherwise try to open links in new windows (denied anyway by setWindowOpenHandler).
    disableBlinkFeatures: 'Auxclick',
    safeDialogs: true,
    spellcheck: false,
    devTools,
  }
}

/** The page's Content-Security-Policy: scripts and styles only from the app's own files, nothing remote. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ')

export interface SenderPolicy {
  isPackaged: boolean
  /** ELECTRON_RENDERER_URL, set by electron-vite's dev server; honoured only when not packaged. */
  devServerUrl?: string | undefined
}

/** True when a URL is one of the app's own pages (app://camguard/..., or the dev server in development). */
export function isAppPageUrl(raw: string | undefined | null, policy: SenderPolicy): boolean {
  if (!raw) return false
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true
  if (!policy.isPackaged && policy.devServerUrl) {
    try {
      const dev = new URL(policy.devServerUrl)
      return (dev.protocol === 'http:' || dev.protocol === 'https:') && url.origin === dev.origin
    } catch {
      return false
    }
  }
  return false
}

export type OpenExternal = (url: string) => Promise<void>

/**
 * The address to open, as the check read it: the URL parser drops tabs and newlines and trims spaces
 * before it judges a link, and the system browser must get that same address, not the raw text.
 */
export function checkedExternalUrl(raw: unknown): string | null {
  if (!isAllowedExternalUrl(raw)) return null
  const href = new URL(raw).href
  return isAllowedExternalUrl(href) ? href : null
}

/** Opens a link in the system browser only when it is https and on the guide's allowlist. */
export async function openExternalSafely(open: OpenExternal, url: unknown): Promise<boolean> {
  const checked = checkedExternalUrl(url)
  if (checked === null) return false
  await open(checked)
  return true
}

type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>

/** Denies every permission (camera and microphone included): the UI needs none. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

/**
 * No page may navigate away or open windows. A link to an allowlisted https address opens in the system
 * browser instead; anything else is dropped.
 */
export function guardWebContents(
  contents: GuardedContents,
  open: OpenExternal,
  log: (message: string) => void,
): void {
  const external = (url: string): void => {
    openExternalSafely(open, url)
      .then((opened) => opened || log(`refused to open ${url.slice(0, 200)}`))
      .catch((e: unknown) => log(`could not open ${url.slice(0, 200)}: ${String(e)}`))
  }
  contents.on('will-navigate', (event, url) => {
    event.preventDefault()
    external(url)
  })
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault()
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    external(url)
    return { action: 'deny' }
  })
}
