import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createAppProtocolHandler, resolveAppPath } from './protocol.js'

const base = mkdtempSync(join(tmpdir(), 'camguard-proto-'))
const root = join(base, 'renderer')
mkdirSync(join(root, 'assets'), { recursive: true })
writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>')
writeFileSync(join(root, 'assets', 'a.js'), 'console.log(1)')
writeFileSync(join(base, 'secret.txt'), 'secret')
symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

describe('app:// resolution', () => {
  it('maps app pages to files under the root', () => {
    expect(resolveAppPath(root, 'app://camguard/')).toBe(join(root, 'index.html'))
    expect(resolveAppPath(root, 'app://camguard/index.html#guide')).toBe(join(root, 'index.html'))
    expect(resolveAppPath(root, 'app://camguard/assets/a.js?x=1')).toBe(join(root, 'assets', 'a.js'))
  })
  it.each(['app://camguard/../secret.txt', 'app://camguard/%2e%2e/secret.txt'])(
    'keeps %s inside the root (the URL parser clamps dot segments)',
    (url) => {
      expect(resolveAppPath(root, url)).toBe(join(root, 'secret.txt'))
    },
  )
  it.each([
    'app://camguard/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://camguard/..%5csecret.txt',
    'app://camguard/%00index.html',
    'app://camguard/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
    'nonsense',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(root, url)).toBeNull()
  })
})

describe('app:// handler', () => {
  const handle = createAppProtocolHandler({ root })
  it('serves a page with the CSP and its content type', async () => {
    const r = await handle({ url: 'app://camguard/index.html' })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await r.text()).toContain('<title>x</title>')
    expect((await handle({ url: 'app://camguard/assets/a.js' })).headers.get('content-type')).toMatch(
      /javascript/,
    )
  })
  it('answers 404 outside the root, for missing files and for symlinks that leave it', async () => {
    expect((await handle({ url: 'app://camguard/../secret.txt' })).status).toBe(404)
    expect((await handle({ url: 'app://camguard/missing.js' })).status).toBe(404)
    const link = await handle({ url: 'app://camguard/link.txt' })
    expect(link.status).toBe(404)
    expect(await link.text()).not.toContain('secret')
  })
})
