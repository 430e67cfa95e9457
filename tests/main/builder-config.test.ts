import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import picomatch from 'picomatch'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { APP_ID, PRODUCT_NAME } from '../../src/main/app-info.js'

const ROOT = resolve(import.meta.dirname, '..', '..')
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>
  mac: { extendInfo: Record<string, unknown>; target: string[] }
  linux: { target: string[] }
  win: { target: string[] }
  extraResources: { from: string; to: string }[]
}

describe('electron-builder.yml', () => {
  it('has the appId the app sets as its AppUserModelID', () => {
    expect(config.appId).toBe(APP_ID)
    expect(config.productName).toBe(PRODUCT_NAME)
  })

  it('packs into asar and ships the guide and icons', () => {
    expect(config.asar).toBe(true)
    expect(config.extraResources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'resources/guide', to: 'guide' }),
        expect.objectContaining({ from: 'resources/icons', to: 'icons' }),
      ]),
    )
    expect(config.files).toContain('out/**')
  })

  it("leaves out node-notifier's bundled helper programs, keeping the app's own files", () => {
    const files = config.files as string[]
    const excluded = files.filter((f) => f.startsWith('!')).map((f) => picomatch(f.slice(1), { dot: true }))
    const included = files.filter((f) => !f.startsWith('!')).map((f) => picomatch(f, { dot: true }))
    const packed = (path: string) => !excluded.some((m) => m(path))
    const vendor = readdirSync(join(ROOT, 'node_modules/node-notifier/vendor'), { recursive: true })
      .map((f) => `node_modules/node-notifier/vendor/${String(f)}`)
      .filter((f) => statSync(join(ROOT, f)).isFile())
    expect(vendor).toContain('node_modules/node-notifier/vendor/snoreToast/snoretoast-x64.exe')
    for (const helper of vendor) expect(packed(helper), helper).toBe(false)
    expect(included.some((m) => m('out/main/index.js')) && packed('out/main/index.js')).toBe(true)
    expect(packed('node_modules/koffi/index.js')).toBe(true)
  })

  it('targets AppImage and deb, dmg as a tray-only app, and NSIS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.mac.extendInfo.LSUIElement).toBe(true)
    expect(config.win.target).toEqual(['nsis'])
  })

  it('sets the Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    })
  })
})
