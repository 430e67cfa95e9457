// The built window's Content-Security-Policy and markup: nothing inline, nothing remote, no eval.
import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { assertBuilt, RENDERER_DIR } from './harness.js'

let html = ''
let policy: Map<string, string[]>

beforeAll(async () => {
  assertBuilt()
  html = await readFile(join(RENDERER_DIR, 'index.html'), 'utf8')
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)
  if (!meta) throw new Error('out/renderer/index.html has no Content-Security-Policy meta tag')
  policy = new Map(
    meta[1]!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  )
})

describe('built out/renderer/index.html', () => {
  test('the CSP allows scripts and styles only from the app itself', () => {
    expect(policy.get('default-src')).toEqual(["'none'"])
    expect(policy.get('script-src')).toEqual(["'self'"])
    expect(policy.get('style-src')).toEqual(["'self'"])
    expect(policy.get('base-uri')).toEqual(["'none'"])
    expect(policy.get('form-action')).toEqual(["'none'"])
  })

  test('no unsafe-inline, no unsafe-eval, no hashes or nonces, no remote origin anywhere in the CSP', () => {
    for (const [directive, values] of policy) {
      for (const value of values) {
        expect(value, directive).not.toMatch(/unsafe-|wasm-unsafe|strict-dynamic|^'nonce-|^'sha\d+-/)
        // Only keywords and data: for images: no scheme sources (https:, http:, ws:) and no hosts or *.
        const allowed = ["'self'", "'none'", ...(directive === 'img-src' ? ['data:'] : [])]
        expect(allowed, `${directive} ${value}`).toContain(value)
      }
    }
  })

  test('no inline <script> and no inline event handlers or styles', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attrs, body] of scripts) {
      expect(attrs, 'every script has a src').toMatch(/\bsrc="\.\/assets\/[^"]+\.js"/)
      expect(body!.trim()).toBe('')
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i)
    expect(html).not.toMatch(/<style\b/i)
    expect(html).not.toMatch(/\sstyle\s*=/i)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i)
  })

  test('the bundle loads nothing from outside and does not carry the test stand-in', async () => {
    const assets = join(RENDERER_DIR, 'assets')
    expect(existsSync(assets)).toBe(true)
    for (const file of await readdir(assets)) {
      expect(file).toMatch(/\.(js|css)$/)
      const text = await readFile(join(assets, file), 'utf8')
      // The test stand-in never ships.
      expect(text, file).not.toMatch(/installStandIn|__camguardStandIn/)
      if (file.endsWith('.css')) {
        expect(text, file).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i)
        expect(text, file).not.toMatch(/@font-face/i)
      }
    }
  })
})
