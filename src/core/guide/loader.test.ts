import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Lexer, walkTokens, type Tokens } from 'marked'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { GUIDE_FACTS, PHONE_NUMBERS } from '../../../tests/support/guide-facts.js'
import {
  guideLinkTarget,
  helpTopicFor,
  isAllowedExternalUrl,
  phoneNumberParts,
  topicsForRegion,
  type GuideTopic,
} from '../../shared/guide.js'
import { REGIONS, type Region } from '../../shared/settings.js'
import { GuideError, guideDir, loadGuide } from './loader.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'camguard-guide-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const write = (name: string, text: string) => writeFile(join(dir, name), text)
const topic = (title: string, order: number | string, regions?: string) =>
  `---\ntitle: ${title}\norder: ${order}\n${regions ? `regions: ${regions}\n` : ''}---\n\nBody of ${title}.\n`

async function guideErrorFor(name: string, text: string): Promise<GuideError> {
  await write(name, text)
  const error = await loadGuide(dir).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(GuideError)
  return error as GuideError
}

describe('loadGuide', () => {
  it('reads front matter and body, ids from file names, sorted by order then id', async () => {
    await write('zeta.md', topic('Zeta', 10))
    await write('alpha.md', topic('Alpha', 10))
    await write('first.md', topic('First', 1, '[uk, ie]'))
    await write('notes.txt', 'not a topic')
    const topics = await loadGuide(dir)
    expect(topics.map((t) => t.id)).toEqual(['first', 'alpha', 'zeta'])
    expect(topics[0]).toEqual({
      id: 'first',
      title: 'First',
      order: 1,
      regions: ['uk', 'ie'],
      body: 'Body of First.\n',
    })
    expect(topics[1]!.regions).toBeNull()
  })

  it('accepts CRLF line ends, a BOM and fractional orders', async () => {
    await write('win.md', '\uFEFF---\r\ntitle: Windows\r\norder: 2.5\r\n---\r\nText.\r\n')
    const [only] = await loadGuide(dir)
    expect(only).toMatchObject({ id: 'win', title: 'Windows', order: 2.5 })
    expect(only!.body.trim()).toBe('Text.')
  })

  it.each([
    ['bad YAML', '---\ntitle: [unclosed\norder: 1\n---\nText\n', /not valid YAML/],
    ['a missing title', '---\norder: 1\n---\nText\n', /"title" is missing/],
    ['an empty title', '---\ntitle: "  "\norder: 1\n---\nText\n', /"title" must not be empty/],
    ['a text order', topic('T', '"first"'), /"order" must be a number/],
    ['a missing order', '---\ntitle: T\n---\nText\n', /"order" is missing/],
    ['an unknown region', topic('T', 1, '[uk, nz]'), /unknown region "nz"/],
    ['regions not a list', topic('T', 1, 'uk'), /"regions" must be a list/],
    ['an empty region list', topic('T', 1, '[]'), /at least one region/],
    ['a misspelt field', '---\ntitle: T\norder: 1\nregion: [uk]\n---\nText\n', /unknown field "region"/],
    ['no front matter', '# Just markdown\n', /no front matter/],
    ['front matter that is not fields', '---\n- a\n- b\n---\nText\n', /must be fields/],
    ['no body', '---\ntitle: T\norder: 1\n---\n\n', /no text after the front matter/],
    [
      'an unknown directive',
      '---\ntitle: T\norder: 1\n---\n\n{{emergncy}}\n',
      /line 6: unknown directive \{\{emergncy\}\}/,
    ],
    [
      'a directive inside a sentence',
      '---\ntitle: T\norder: 1\n---\nCall {{emergency}} now.\n',
      /\{\{emergency\}\} must be alone on its line/,
    ],
    [
      'a view link in running text',
      '---\ntitle: T\norder: 1\n---\nOpen the [notes](view:evidence).\n',
      /a link to a view must be in a list item of its own/,
    ],
    [
      'a bad view name',
      '---\ntitle: T\norder: 1\n---\n- Open [x](view:Evidence Now)\n',
      /"view:Evidence Now" is not a view name/,
    ],
  ])('refuses %s with a message naming the file', async (_what, text, pattern) => {
    await write('good.md', topic('Good', 1))
    const error = await guideErrorFor('broken.md', text)
    expect(error.message).toMatch(pattern)
    expect(error.message).toContain(join(dir, 'broken.md'))
    expect(error.file).toBe(join(dir, 'broken.md'))
  })

  it('refuses file names that cannot be topic ids', async () => {
    const error = await guideErrorFor('Bad Name.md', topic('T', 1))
    expect(error.message).toMatch(/Bad Name\.md: the file name must be lower-case/)
  })

  it('says when the folder cannot be read', async () => {
    await expect(loadGuide(join(dir, 'missing'))).rejects.toThrow(
      /guide folder .*missing cannot be read \(ENOENT\)/,
    )
  })
})

describe('the shipped guide', () => {
  let topics: GuideTopic[]
  beforeAll(async () => {
    topics = await loadGuide(guideDir())
  })
  const byId = (list: GuideTopic[], id: string) => {
    const found = list.find((t) => t.id === id)
    expect(found, id).toBeDefined()
    return found!
  }
  /** Markdown with the emphasis marks taken out, so "text **CONNECT** to" reads "text CONNECT to". */
  const words = (markdown: string) => markdown.replace(/\*\*|__/g, '')
  /** The lines of the "## heading" section of a body, heading included. */
  const section = (body: string, heading: string) => {
    const start = body.indexOf(`\n## ${heading}\n`)
    expect(start, heading).toBeGreaterThanOrEqual(0)
    const end = body.indexOf('\n## ', start + 1)
    return body.slice(start, end < 0 ? undefined : end)
  }
  const sections = (body: string) => body.split(/^(?=#{1,6} )/m)
  const sentences = (body: string) => words(body).split(/(?<=[.!?])\s+|\n+/)
  const allBodies = () => REGIONS.flatMap((r) => topicsForRegion(topics, r))

  const EMERGENCY: Record<Region, string> = {
    uk: '999',
    ie: '112',
    us: '911',
    ca: '911',
    au: '000',
    other: '112',
  }

  it('is found from the source tree and loads every file', () => {
    expect(guideDir()).toMatch(/resources[\\/]guide$/)
    expect(topics.length).toBeGreaterThanOrEqual(REGIONS.length + 8)
    expect(new Set(topics.map((t) => t.id)).size).toBe(topics.length)
  })

  it('gives every region a help topic that starts with its emergency number', () => {
    for (const region of REGIONS) {
      const help = helpTopicFor(topicsForRegion(topics, region), region)
      expect(help, region).toBeDefined()
      expect(help!.regions).toEqual([region])
      const firstNumber = /\d[\d -]*\d|\d/.exec(help!.body)?.[0]
      expect(firstNumber, region).toBe(EMERGENCY[region])
      const headings = [...help!.body.matchAll(/^## (.+)$/gm)].map((m) => m[1])
      expect(headings[0], region).toBe('In an emergency')
      expect(headings, region).toContain('If you are 18 or over')
      expect(headings, region).toContain('If you are under 18')
    }
  })

  it.each(REGIONS)('names the numbers and services of the fact sheet for %s', (region) => {
    const mine = topicsForRegion(topics, region)
    const text = words(mine.map((t) => t.body).join('\n'))
    for (const fact of [...GUIDE_FACTS[region].crisis, ...GUIDE_FACTS[region].services]) {
      expect(text, `${region}: ${fact}`).toContain(fact)
    }
  })

  it.each(REGIONS)(
    'shows the crisis lines of %s inside "If you are in danger now", not a click away',
    (region) => {
      const happening = byId(topicsForRegion(topics, region), 'if-it-happens')
      const danger = words(section(happening.body, 'If you are in danger now'))
      for (const line of GUIDE_FACTS[region].crisis) expect(danger, `${region}: ${line}`).toContain(line)
      expect(danger).not.toContain('{{')
    },
  )

  it('gives Canada its crisis line and Kids Help Phone by phone and by text', () => {
    const text = words(byId(topicsForRegion(topics, 'ca'), 'help-ca').body)
    expect(text).toMatch(/988: call or text, at any age/)
    expect(text).toContain('Kids Help Phone: 1-800-668-6868')
    expect(text).toContain('text CONNECT to 686868')
  })

  it('uses no phone number the fact sheet does not give', () => {
    for (const t of topics) {
      for (const part of phoneNumberParts(t.body).filter((p) => p.phone)) {
        expect(PHONE_NUMBERS as readonly string[], `${t.id}: ${part.text}`).toContain(part.text)
      }
    }
  })

  it('follows every mention of a removal service with what to do without the image', () => {
    const TOOL = /StopNCII|Take It Down(?! Act)|Report Remove/g
    const WITHOUT = /don't have the image|without the image/i
    let mentions = 0
    for (const t of allBodies()) {
      for (const part of sections(t.body)) {
        const lines = part.split('\n')
        lines.forEach((line, i) => {
          for (const _ of line.matchAll(TOOL)) {
            mentions++
            const told = WITHOUT.test(lines[0]!) || lines.slice(i).some((l) => WITHOUT.test(l))
            expect(told, `${t.id}: ${line}`).toBe(true)
          }
        })
      }
    }
    expect(mentions).toBeGreaterThan(20)
  })

  it('never promises that a deactivated account can be turned back on', () => {
    const PROMISE = /back on|reactivat|restor|undo|undone|later/i
    let warned = false
    for (const t of topics) {
      for (const sentence of sentences(t.body).filter((s) => /deactivat/i.test(s))) {
        if (PROMISE.test(sentence)) expect(sentence, t.id).toMatch(/\bnot\b|n't|\bnever\b/)
        if (/can't always be undone/.test(sentence)) warned = true
      }
    }
    expect(warned).toBe(true)
    expect(words(byId(topics, 'if-it-happens').body)).toMatch(
      /On Snapchat, .* deleted for good after 30 days/,
    )
  })

  it('keeps the under-18 copy rule next to the services that use the image where it was taken', () => {
    let rules = 0
    for (const t of topics) {
      for (const part of sections(t.body)) {
        const forbids = part
          .split('\n')
          .some((l) => /(don't|do not|never) (copy|screenshot|save)/i.test(l) && /under 18/.test(l))
        if (!forbids) continue
        rules++
        expect(part, t.id).toMatch(/where (it|the image) was taken/)
        expect(part, t.id).toMatch(/did anything wrong|You are not in trouble|\(#under-18\)/)
      }
      expect(t.body, t.id).not.toMatch(/even if the image is of you/i)
    }
    expect(rules).toBeGreaterThanOrEqual(2)
  })

  it('says "not in trouble" and "never to blame" before anything else', () => {
    const lead = (id: string) => byId(topics, id).body.split(/^## /m)[0]!
    expect(lead('under-18')).toMatch(/^\*\*You are not in trouble\.\*\*/)
    expect(lead('if-it-happens')).toContain('You are never to blame.')
    expect(lead('if-it-happens')).toContain('You are not in trouble.')
    expect(lead('parents')).toBeTruthy()
    expect(words(byId(topics, 'parents').body)).toMatch(/never to blame/)
  })

  it.each([
    [
      'parents',
      [
        /Stay calm/,
        /Thank them for telling you/,
        /Don't blame them/,
        /Don't take their phone, and don't delete anything/,
        /Don't pay/,
        /Use the removal services together/,
      ],
    ],
    [
      'what-to-say',
      [
        /## To an adult you trust, or a friend/,
        /## To the police or a helpline/,
        /## To the person threatening you\s+Nothing at all\./,
      ],
    ],
    [
      'if-it-happens',
      [
        /## If you already paid/,
        /not too late/,
        /still the victim/,
        /Report it anyway/,
        /stop the payment/,
        /Don't pay anything more/,
      ],
    ],
    [
      'if-it-happens',
      [
        /take these reports seriously/,
        /confidential/,
        /moderators/,
        /Hide now.*Escape.*Shift pressed three times/s,
      ],
    ],
    [
      'afterwards',
      [
        /Change your passwords/,
        /two-step verification/,
        /friends and followers lists/,
        /screenshots of these lists/,
      ],
    ],
    [
      'reduce-risk',
      [
        /Think twice before you undress/,
        /sending nudes/,
        /privacy settings/,
        /0\.1 mm/,
        /printer paper/,
        /crack the screen/,
        /green light/,
      ],
    ],
    ['remove-images', [/## If you don't have the image/, /48 hours/, /TAKE IT DOWN Act/, /19 May 2026/]],
    ['what-it-is', [/a few hundred to a few thousand pounds, dollars or euros/]],
  ])('%s says what the review asked for', (id, patterns) => {
    const text = words(byId(topics, id).body)
    for (const pattern of patterns) expect(text, String(pattern)).toMatch(pattern)
  })

  it('puts the local Garda station first in Ireland and gives no unsourced hours', () => {
    const ie = words(byId(topics, 'help-ie').body)
    expect(ie.indexOf('local Garda station')).toBeLessThan(ie.indexOf('1800 666 111'))
    expect(ie).toMatch(/Confidential Line, 1800 666 111, is for passing on information/)
    const uk = words(byId(topics, 'help-uk').body)
    expect(uk).not.toMatch(/\d{1,2}:\d{2}/)
    expect(uk).toMatch(/Check their website for opening hours/)
  })

  it('links the evidence checklist and the first steps to the evidence notebook', () => {
    for (const id of ['evidence', 'if-it-happens']) {
      expect(byId(topics, id).body, id).toMatch(/^\s*- .*\]\(view:evidence\)/m)
    }
  })

  it('links only to allowed https addresses, existing topics and views, never to phone numbers', () => {
    const ids = topics.map((t) => t.id)
    let links = 0
    let internal = 0
    for (const t of topics) {
      walkTokens(new Lexer({ gfm: true }).lex(t.body), (token) => {
        if (token.type !== 'link' && token.type !== 'image') return
        links++
        const href = (token as Tokens.Link).href
        const target = guideLinkTarget(href)
        if (target?.kind === 'topic') {
          // "help" is the reader's own region's help topic.
          if (target.id !== 'help') expect(ids, `${t.id}: ${href}`).toContain(target.id)
          if (t.regions !== null && target.id !== 'help') {
            expect(byId(topics, target.id).regions, href).toBeNull()
          }
          internal++
          return
        }
        if (target?.kind === 'view') return
        expect(isAllowedExternalUrl(href), `${t.id}: ${href}`).toBe(true)
      })
      for (const url of t.body.match(/\bhttps?:\/\/[^\s)>\]]+/g) ?? []) {
        expect(isAllowedExternalUrl(url), `${t.id}: ${url}`).toBe(true)
      }
      expect(t.body, t.id).not.toMatch(/\bskype\b/i)
    }
    expect(links - internal).toBeGreaterThan(10)
    expect(internal).toBeGreaterThan(10)
  })

  it('leaves no directive unfilled for any region', () => {
    for (const region of REGIONS) {
      for (const t of topicsForRegion(topics, region)) expect(t.body, `${region} ${t.id}`).not.toContain('{{')
    }
  })
})
