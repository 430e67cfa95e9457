import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Lexer, walkTokens, type Tokens } from 'marked'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isAllowedExternalUrl, type GuideTopic } from '../../shared/guide.js'
import { REGIONS, type Region } from '../../shared/settings.js'
import {
  GuideError,
  guideDir,
  helpTopicFor,
  loadGuide,
  parseTopic,
  searchGuide,
  topicsForRegion,
} from './loader.js'
import { topicLinkTarget } from './terminal.js'

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

describe('regions', () => {
  const topics: GuideTopic[] = [
    parseTopic('what.md', topic('What', 1)),
    parseTopic('help-uk.md', topic('Help UK', 2, '[uk]')),
    parseTopic('help-other.md', topic('Help elsewhere', 2, '[other]')),
    parseTopic('isles.md', topic('Isles', 3, '[uk, ie]')),
  ]

  it('keeps topics for every region plus the region own', () => {
    expect(topicsForRegion(topics, 'uk').map((t) => t.id)).toEqual(['what', 'help-uk', 'isles'])
    expect(topicsForRegion(topics, 'ie').map((t) => t.id)).toEqual(['what', 'isles'])
    expect(topicsForRegion(topics, 'other').map((t) => t.id)).toEqual(['what', 'help-other'])
  })

  it('finds the help topic by its file name', () => {
    expect(helpTopicFor(topics, 'uk')?.id).toBe('help-uk')
    expect(helpTopicFor(topics, 'us')).toBeUndefined()
  })
})

describe('searchGuide', () => {
  const topics = [
    parseTopic(
      'pay.md',
      topic('Money', 1).replace('Body of Money.', "Don't **pay**. Tell your [bank](https://x.org)."),
    ),
    parseTopic('bank.md', topic('Your bank', 2)),
  ]

  it('matches every word in plain text, title matches first, with a snippet', () => {
    const found = searchGuide(topics, 'BANK')
    expect(found.map((m) => m.topic.id)).toEqual(['bank', 'pay'])
    expect(found[1]!.snippet).toContain('Tell your bank')
    expect(found[1]!.snippet).not.toContain('**')
    expect(searchGuide(topics, 'pay bank').map((m) => m.topic.id)).toEqual(['pay'])
    expect(searchGuide(topics, '   ')).toEqual([])
  })

  it('cuts long snippets at words and marks the cut', () => {
    const long = parseTopic(
      'long.md',
      topic('Long', 1).replace('Body of Long.', `${'word '.repeat(60)}needle ${'more '.repeat(60)}`),
    )
    const [match] = searchGuide([long], 'needle', 60)
    expect(match!.snippet).toMatch(/^…word .*needle.* more…$/)
    expect(match!.snippet.length).toBeLessThanOrEqual(62)
  })
})

describe('the shipped guide', () => {
  const EMERGENCY: Record<Region, string> = {
    uk: '999',
    ie: '112',
    us: '911',
    ca: '911',
    au: '000',
    other: '112',
  }

  it('is found from the source tree', () => {
    expect(guideDir()).toMatch(/resources[\\/]guide$/)
  })

  it('loads every file', async () => {
    const topics = await loadGuide(guideDir())
    expect(topics.length).toBeGreaterThanOrEqual(REGIONS.length + 4)
    expect(new Set(topics.map((t) => t.id)).size).toBe(topics.length)
  })

  it('gives every region a help topic that starts with its emergency number', async () => {
    const topics = await loadGuide(guideDir())
    for (const region of REGIONS) {
      const help = helpTopicFor(topicsForRegion(topics, region), region)
      expect(help, region).toBeDefined()
      expect(help!.regions).toEqual([region])
      const firstNumber = /\d[\d -]*\d|\d/.exec(help!.body)?.[0]
      expect(firstNumber, region).toBe(EMERGENCY[region])
      // The emergency section comes before adult and under-18 sections.
      const headings = [...help!.body.matchAll(/^## (.+)$/gm)].map((m) => m[1])
      expect(headings[0], region).toBe('In an emergency')
      expect(headings, region).toContain('If you are 18 or over')
      expect(headings, region).toContain('If you are under 18')
    }
  })

  it('gives every region the same shared topics', async () => {
    const topics = await loadGuide(guideDir())
    const shared = topics.filter((t) => t.regions === null).map((t) => t.id)
    expect(shared).toEqual(expect.arrayContaining(['if-it-happens', 'what-it-is', 'reduce-risk', 'evidence']))
  })

  it('links only to allowed https addresses, and never to phone numbers', async () => {
    const topics = await loadGuide(guideDir())
    const ids = topics.map((t) => t.id)
    const byId = new Map(topics.map((t) => [t.id, t]))
    let links = 0
    let internal = 0
    for (const t of topics) {
      walkTokens(new Lexer({ gfm: true }).lex(t.body), (token) => {
        if (token.type !== 'link' && token.type !== 'image') return
        links++
        const href = (token as Tokens.Link).href
        const target = topicLinkTarget(href)
        if (target) {
          // "help" is the reader's own region's help topic.
          if (target !== 'help') expect(ids, `${t.id}: ${href}`).toContain(target)
          if (t.regions !== null && target !== 'help') expect(byId.get(target)?.regions, href).toBeNull()
          internal++
          return
        }
        expect(isAllowedExternalUrl(href), `${t.id}: ${href}`).toBe(true)
      })
      // Every address written out in the text is a link too, so it is checked above.
      for (const url of t.body.match(/\bhttps?:\/\/[^\s)>\]]+/g) ?? []) {
        expect(isAllowedExternalUrl(url), `${t.id}: ${url}`).toBe(true)
      }
      expect(t.body, t.id).not.toMatch(/\bskype\b/i)
    }
    expect(links - internal).toBeGreaterThan(10)
    expect(internal).toBeGreaterThan(0)
  })
})
