import { beforeAll, describe, expect, it } from 'vitest'
import { PHONE_NUMBERS, SHORT_NUMBERS } from '../../../tests/support/guide-facts.js'
import { topicsForRegion, type GuideTopic } from '../../shared/guide.js'
import { REGIONS } from '../../shared/settings.js'
import { guideDir, loadGuide } from './loader.js'
import { renderMarkdown, renderTopic, wrap } from './terminal.js'

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

describe('long ordered lists', () => {
  it('right-aligns the numbers so the text lines up', () => {
    const md = Array.from({ length: 10 }, (_, i) => `${i + 1}. Step ${i + 1}`).join('\n')
    const lines = renderMarkdown(md).trimEnd().split('\n')
    expect(lines[0]).toBe(' 1. Step 1')
    expect(lines[9]).toBe('10. Step 10')
  })
})

describe('links to other topics and views', () => {
  it('show their words and the command that opens them', () => {
    const text = renderMarkdown(
      'See [Get help](#help), [Evidence](guide:evidence) and [Risk](reduce-risk.md).',
      {
        width: 200,
      },
    )
    expect(text).toBe(
      'See Get help (camguard guide help), Evidence (camguard guide evidence) and Risk (camguard guide reduce-risk).\n',
    )
  })

  it('show a view link as the command the caller names, or as words alone', () => {
    const md = 'Keep it in the [evidence notebook](view:evidence).'
    expect(renderMarkdown(md)).toBe('Keep it in the evidence notebook.\n')
    const commandFor = () => 'camguard evidence --help'
    expect(renderMarkdown(md, { commandFor })).toBe(
      'Keep it in the evidence notebook (camguard evidence --help).\n',
    )
  })

  it('never split a command across lines', () => {
    const md = `${'word '.repeat(9)}[Getting images taken down](#remove-images) now.`
    for (let width = 30; width <= 70; width++) {
      const text = renderMarkdown(md, { width })
      expect(
        text.split('\n').some((l) => l.includes('(camguard guide remove-images)')),
        String(width),
      ).toBe(true)
    }
  })
})

describe('phone numbers', () => {
  it('are never split, even when a line ends just inside one', () => {
    const md = 'Call the Garda Confidential Line on 1800 666 111 or the FBI on 1-800-CALL-FBI today.'
    for (let width = 20; width <= 90; width++) {
      const lines = renderMarkdown(md, { width }).split('\n')
      expect(
        lines.some((l) => l.includes('1800 666 111')),
        String(width),
      ).toBe(true)
      expect(
        lines.some((l) => l.includes('1-800-CALL-FBI')),
        String(width),
      ).toBe(true)
      expect(lines.join(' ')).not.toContain('\u00a0')
    }
  })
})

describe('the shipped guide in a terminal', () => {
  let topics: GuideTopic[]
  beforeAll(async () => {
    topics = await loadGuide(guideDir())
  })

  const count = (text: string, part: string) => text.split(part).length - 1

  // Every topic, as every region reads it, at every width from 40 to 120 columns.
  it('never splits a phone number across lines at any width from 40 to 120', () => {
    const numbers = [...PHONE_NUMBERS, ...SHORT_NUMBERS]
    // Shared topics read the same in every region: check each distinct text once, named by its region.
    const distinct = new Map<string, { topic: GuideTopic; label: string }>()
    for (const region of REGIONS) {
      for (const topic of topicsForRegion(topics, region)) {
        if (!distinct.has(topic.body)) distinct.set(topic.body, { topic, label: `${region} ${topic.id}` })
      }
    }
    const split: string[] = []
    let checked = 0
    for (const { topic, label } of distinct.values()) {
      const unwrapped = renderTopic(topic, { width: 100_000 })
      const present = numbers.filter((n) => unwrapped.includes(n))
      for (let width = 40; width <= 120; width++) {
        const lines = renderTopic(topic, { width }).split('\n')
        for (const number of present) {
          checked++
          const whole = lines.reduce((sum, line) => sum + count(line, number), 0)
          if (whole !== count(unwrapped, number)) split.push(`${label} at ${width}: ${number}`)
        }
        // Nothing that looks like the rest of a number starts a line after one that ends in digits.
        lines.forEach((line, i) => {
          if (i > 0 && /\d$/.test(lines[i - 1]!) && /^\d+(?:[ -]|\)|\.$|$)/.test(line.trimStart())) {
            split.push(`${label} at ${width}: "${lines[i - 1]}" / "${line}"`)
          }
        })
      }
    }
    expect(split).toEqual([])
    expect(checked).toBeGreaterThan(1000)
  })

  it('keeps every line within the width, apart from single long words', () => {
    for (const topic of topicsForRegion(topics, 'ca')) {
      for (const width of [40, 80, 120]) {
        for (const line of renderTopic(topic, { width }).split('\n')) {
          if (line.length > width) expect(line.trim().split(' ').length, `${topic.id}: ${line}`).toBe(1)
        }
      }
    }
  })
})
