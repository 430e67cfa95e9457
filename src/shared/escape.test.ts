import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  isolated,
  menuLabel,
  notificationMarkup,
  shellArgs,
  shellWord,
  shorten,
  terminalJson,
  visibleText,
} from './escape.js'
import { ACTING, hostileText } from '../../tests/support/hostile.js'

describe('visibleText (terminal)', () => {
  it('writes out every control and bidi character; the rest is unchanged', () => {
    expect(visibleText('cam\x1b[2Jera')).toBe('cam\\x1b[2Jera')
    expect(visibleText('zoom\nCamera off')).toBe('zoom\\x0aCamera off')
    expect(visibleText('\u202egpj.exe')).toBe('\\u202egpj.exe')
    expect(visibleText('\x9b31m')).toBe('\\u009b31m')
    expect(visibleText('Zoom Meetings — caméra 📷 بث')).toBe('Zoom Meetings — caméra 📷 بث')
  })

  it('for any text, leaves no control or bidi character', () => {
    fc.assert(fc.property(hostileText, (t) => !ACTING.test(visibleText(t))))
  })
})

describe('terminalJson', () => {
  it('for any value, stays JSON of the same value and holds no control or bidi character', () => {
    fc.assert(
      fc.property(fc.record({ name: hostileText, exe: fc.option(hostileText) }), (v) => {
        const json = terminalJson(v)
        expect(ACTING.test(json)).toBe(false)
        expect(JSON.parse(json)).toEqual(v)
      }),
    )
  })
})

describe('notificationMarkup', () => {
  it('turns markup characters into entities', () => {
    expect(notificationMarkup('<a href="https://x">pwn</a> & co')).toBe(
      '&lt;a href=&quot;https://x&quot;&gt;pwn&lt;/a&gt; &amp; co',
    )
  })

  it('for any text, leaves no tag, no quote and no bare ampersand, and decodes back to the visible text', () => {
    const decode = (s: string) =>
      s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&')
    fc.assert(
      fc.property(hostileText, (t) => {
        const m = notificationMarkup(t)
        expect(m).not.toMatch(/[<>"']/)
        expect(m).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/)
        expect(ACTING.test(m)).toBe(false)
        expect(decode(m)).toBe(visibleText(t))
      }),
    )
  })
})

describe('menuLabel (tray)', () => {
  it('doubles & so Electron shows it instead of making a mnemonic', () => {
    expect(menuLabel('Tom & Jerry')).toBe('Tom && Jerry')
    fc.assert(
      fc.property(hostileText, (t) => {
        const l = menuLabel(t)
        expect(l.replace(/&&/g, '')).not.toContain('&')
        expect(ACTING.test(l)).toBe(false)
      }),
    )
  })
})

describe('isolated', () => {
  it('wraps the visible text in one first-strong isolate, so it cannot reorder its neighbours', () => {
    expect(isolated('\u202eevil')).toBe('\u2068\\u202eevil\u2069')
  })
})

describe('shellWord and shellArgs', () => {
  it('leaves plain words bare, quotes the rest, and puts -- before a word that looks like an option', () => {
    expect(shellWord('zoom')).toBe('zoom')
    expect(shellWord('/usr/lib/zoom/zoom')).toBe('/usr/lib/zoom/zoom')
    expect(shellWord('')).toBe("''")
    expect(shellWord('my app')).toBe("'my app'")
    expect(shellWord("it's")).toBe(`'it'\\''s'`)
    expect(shellWord('a\x1bb')).toBe(`$'a\\x1bb'`)
    expect(shellArgs(['trust', '-rf'])).toBe('trust -- -rf')
  })
})

describe('shorten', () => {
  it('keeps short text, cuts long text to max characters with an ellipsis, never inside a pair', () => {
    expect(shorten('zoom', 10)).toBe('zoom')
    expect(shorten('a'.repeat(20), 10)).toBe('a'.repeat(9) + '…')
    expect([...shorten('📷'.repeat(20), 5)]).toHaveLength(5)
  })
})
