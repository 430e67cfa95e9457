import { describe, expect, it } from 'vitest'
import { markdownToPlainText, renderMarkdown, renderTopic, topicLinkTarget, wrap } from './terminal.js'

const SAMPLE = `# Main title

Some **bold**, *emphasis*, \`code\` and a [helpline](https://www.samaritans.org/contact) link, plus
a bare <https://stopncii.org> and [samaritans.org](https://www.samaritans.org) and \\*literal stars\\* &amp; more.

## Steps

1. **Don't panic.** You are the victim of a crime, and this item is long enough that it has to wrap.
2. Don't pay.
   - a nested point
   - another nested point

- first
- second with [a link](https://tips.fbi.gov)

> A quoted line.

### Small heading
`

const LEFTOVER = ['**', '##', '](', '`', '<http', '\\*', '&amp;']

describe('renderMarkdown', () => {
  const text = renderMarkdown(SAMPLE, { width: 50 })
  // Link checks compare text with the wrapping undone.
  const flat = text.replace(/\s+/g, ' ')

  it('leaves no Markdown syntax behind', () => {
    for (const syntax of LEFTOVER) expect(text, syntax).not.toContain(syntax)
    expect(text).not.toMatch(/^#/m)
    expect(text.replace(/\s+/g, ' ')).toContain('*literal stars* & more')
  })

  it('shows links as text (url), and an address only once', () => {
    expect(flat).toContain('helpline (https://www.samaritans.org/contact)')
    expect(flat).toContain('a bare https://stopncii.org and')
    expect(flat).toContain('and https://www.samaritans.org and')
    expect(flat).not.toContain('samaritans.org (https://www.samaritans.org)')
    expect(flat).toContain('a link (https://tips.fbi.gov)')
  })

  it('underlines top headings and upper-cases small ones', () => {
    expect(text).toMatch(/^Main title\n=+$/m)
    expect(text).toMatch(/^Steps\n-----$/m)
    expect(text).toContain('SMALL HEADING')
  })

  it('numbers ordered lists, bullets others, and hangs wrapped lines under the text', () => {
    const lines = text.split('\n')
    const first = lines.findIndex((l) => l.startsWith("1. Don't panic."))
    expect(first).toBeGreaterThan(-1)
    expect(lines[first + 1]).toMatch(/^ {3}\S/)
    expect(lines).toContain("2. Don't pay.")
    expect(lines).toContain('   - a nested point')
    expect(lines).toContain('- first')
  })

  it('keeps every line within the width', () => {
    for (const width of [30, 50, 72]) {
      for (const line of renderMarkdown(SAMPLE, { width }).split('\n')) {
        // A single word longer than the width (a URL) may not be split; nothing else may overflow.
        if (line.length > width) expect(line.trim().split(' ').length, line).toBe(1)
      }
    }
  })

  it('uses ANSI bold only when asked', () => {
    expect(text).not.toContain('\x1b[')
    const bold = renderMarkdown('Some **bold** text', { ansi: true })
    expect(bold).toContain('\x1b[1mbold\x1b[22m')
  })

  it('does not count ANSI codes towards the width', () => {
    const md = Array.from({ length: 20 }, (_, i) => `**w${i}**`).join(' ')
    for (const line of renderMarkdown(md, { width: 30, ansi: true }).trimEnd().split('\n')) {
      expect(line.replaceAll('\x1b[1m', '').replaceAll('\x1b[22m', '').length).toBeLessThanOrEqual(30)
    }
  })
})

describe('renderTopic', () => {
  it('puts the title first, underlined', () => {
    const text = renderTopic({ id: 'x', title: 'Get help', order: 1, regions: null, body: 'Call **999**.\n' })
    expect(text).toBe('Get help\n========\n\nCall 999.\n')
  })
})

describe('wrap', () => {
  it('wraps greedily with a hanging indent and never splits a long word', () => {
    expect(wrap('one two three four', 9, '* ', '  ')).toEqual(['* one two', '  three', '  four'])
    expect(wrap('see https://example.org/a/very/long/path now', 12)).toEqual([
      'see',
      'https://example.org/a/very/long/path',
      'now',
    ])
  })
})

describe('markdownToPlainText', () => {
  it('gives text without syntax or underlines', () => {
    const plain = markdownToPlainText('## Title\n\nA **b** [c](https://x.org).')
    expect(plain).toBe('Title\n\nA b c (https://x.org).')
  })
})

describe('long ordered lists', () => {
  it('right-aligns the numbers so the text lines up', () => {
    const md = Array.from({ length: 10 }, (_, i) => `${i + 1}. Step ${i + 1}`).join('\n')
    const lines = renderMarkdown(md).trimEnd().split('\n')
    expect(lines[0]).toBe(' 1. Step 1')
    expect(lines[9]).toBe('10. Step 10')
  })
})

describe('links to other topics', () => {
  it('show only their words', () => {
    const text = renderMarkdown(
      'See [Get help](#help), [Evidence](guide:evidence) and [Risk](reduce-risk.md).',
    )
    expect(text).toBe('See Get help, Evidence and Risk.\n')
  })
  it('are told apart from web addresses', () => {
    expect(topicLinkTarget('#help')).toBe('help')
    expect(topicLinkTarget('guide:if-it-happens')).toBe('if-it-happens')
    expect(topicLinkTarget('./evidence.md')).toBe('evidence')
    expect(topicLinkTarget('https://stopncii.org')).toBeNull()
    expect(topicLinkTarget('evidence')).toBeNull()
    expect(topicLinkTarget('#Bad Id')).toBeNull()
  })
})
