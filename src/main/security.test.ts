import { describe, expect, it } from 'vitest'
import {
  CONTENT_SECURITY_POLICY,
  denyAllPermissions,
  guardWebContents,
  isAppPageUrl,
  openExternalSafely,
  secureWebPreferences,
} from './security.js'

describe('sender check', () => {
  const prod = { isPackaged: true, devServerUrl: 'http://localhost:5173' }
  const dev = { isPackaged: false, devServerUrl: 'http://localhost:5173' }
  it('accepts only app://camguard pages when packaged, even with a dev URL in the environment', () => {
    expect(isAppPageUrl('app://camguard/index.html#status', prod)).toBe(true)
    expect(isAppPageUrl('http://localhost:5173/', prod)).toBe(false)
    expect(isAppPageUrl('app://evil/index.html', prod)).toBe(false)
    expect(isAppPageUrl('file:///work/out/renderer/index.html', prod)).toBe(false)
    expect(isAppPageUrl('https://camguard/', prod)).toBe(false)
    expect(isAppPageUrl('', prod)).toBe(false)
    expect(isAppPageUrl(undefined, prod)).toBe(false)
    expect(isAppPageUrl('not a url', prod)).toBe(false)
  })
  it('accepts the dev server only in development and only its exact origin', () => {
    expect(isAppPageUrl('http://localhost:5173/index.html', dev)).toBe(true)
    expect(isAppPageUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppPageUrl('http://localhost:5173.evil.com/', dev)).toBe(false)
    expect(isAppPageUrl('http://localhost:5173/', { isPackaged: false })).toBe(false)
  })
})

describe('external links', () => {
  it('opens only allowlisted https addresses', async () => {
    const opened: string[] = []
    const open = async (u: string) => void opened.push(u)
    expect(await openExternalSafely(open, 'https://www.ceop.police.uk/report')).toBe(true)
    expect(await openExternalSafely(open, 'http://www.ceop.police.uk/')).toBe(false)
    expect(await openExternalSafely(open, 'https://evil.example/')).toBe(false)
    expect(await openExternalSafely(open, 'file:///etc/passwd')).toBe(false)
    expect(await openExternalSafely(open, 42)).toBe(false)
    expect(opened).toEqual(['https://www.ceop.police.uk/report'])
  })

  it('hands the browser the address it checked, not the raw text', async () => {
    const opened: string[] = []
    const open = async (u: string) => void opened.push(u)
    // The URL parser ignores surrounding spaces and any tab or newline; a system opener may not.
    expect(await openExternalSafely(open, ' https://www.ceop.police.uk/re\tport\n')).toBe(true)
    expect(await openExternalSafely(open, 'https://www.ceop.police.uk/a b"c')).toBe(true)
    expect(opened).toEqual(['https://www.ceop.police.uk/report', 'https://www.ceop.police.uk/a%20b%22c'])
  })
})

describe('window hardening', () => {
  it('has the secure preferences of the checklist', () => {
    expect(secureWebPreferences('/p.cjs', false)).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
    })
  })

  it('has a strict CSP', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'")
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline')
  })

  it('denies every permission, the camera included', () => {
    const got: Record<string, unknown> = {}
    denyAllPermissions({
      setPermissionRequestHandler: (h: unknown) => (got.request = h),
      setPermissionCheckHandler: (h: unknown) => (got.check = h),
      setDevicePermissionHandler: (h: unknown) => (got.device = h),
    } as never)
    const answers: boolean[] = []
    ;(got.request as (...a: unknown[]) => void)({}, 'media', (ok: boolean) => answers.push(ok), {
      mediaTypes: ['video'],
    })
    expect(answers).toEqual([false])
    expect((got.check as (...a: unknown[]) => boolean)({}, 'media', 'app://camguard', {})).toBe(false)
    expect((got.device as (...a: unknown[]) => boolean)({ deviceType: 'usb' })).toBe(false)
  })

  it('blocks navigation and new windows; allowlisted links go to the browser', async () => {
    const on: Record<string, (...a: unknown[]) => void> = {}
    let openHandler: ((d: { url: string }) => { action: string }) | undefined
    const opened: string[] = []
    guardWebContents(
      {
        on: ((e: string, fn: (...a: unknown[]) => void) => (on[e] = fn)) as never,
        setWindowOpenHandler: ((h: typeof openHandler) => (openHandler = h)) as never,
      },
      async (u) => void opened.push(u),
      () => undefined,
    )
    let prevented = 0
    const event = { preventDefault: () => prevented++, isMainFrame: false }
    on['will-navigate']!(event, 'https://evil.example/')
    on['will-navigate']!(event, 'https://www.iwf.org.uk/')
    on['will-attach-webview']!(event)
    on['will-frame-navigate']!(event)
    expect(openHandler!({ url: 'https://stopncii.org/' })).toEqual({ action: 'deny' })
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    await new Promise((r) => setTimeout(r, 0))
    expect(prevented).toBe(4)
    expect(opened).toEqual(['https://www.iwf.org.uk/', 'https://stopncii.org/'])
  })
})
