// Guide search, one rule for the window and the terminal: a query finds the steps (list items,
// paragraphs, headings, table rows) that hold every one of its words, best first.
import { Lexer, type Token, type Tokens } from 'marked'

/** Markdown inline text to plain words: links keep their text, emphasis and code marks go. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<(https?:[^>\s]+)>/g, '$1')
    .replace(/<[^>]*>/g, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!>])/g, '$1')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}

/** One searchable step of a topic: a list item, paragraph, heading, quote or table row. */
export interface GuideStep {
  text: string
  kind: 'step' | 'paragraph' | 'heading'
}

function collect(tokens: Token[], out: GuideStep[]): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading':
        out.push({ kind: 'heading', text: plainText((token as Tokens.Heading).text) })
        break
      case 'paragraph':
        out.push({ kind: 'paragraph', text: plainText((token as Tokens.Paragraph).text) })
        break
      case 'list':
        for (const item of (token as Tokens.List).items) {
          // The item's own words; nested lists are collected as their own steps.
          const own = item.tokens.filter((t) => t.type !== 'list')
          const text = plainText(own.map((t) => ('text' in t ? String(t.text) : t.raw)).join(' '))
          if (text) out.push({ kind: 'step', text })
          collect(
            item.tokens.filter((t) => t.type === 'list'),
            out,
          )
        }
        break
      case 'blockquote':
        collect((token as Tokens.Blockquote).tokens, out)
        break
      case 'table': {
        const table = token as Tokens.Table
        for (const row of table.rows) {
          out.push({ kind: 'paragraph', text: plainText(row.map((cell) => cell.text).join(' — ')) })
        }
        break
      }
      default:
        break
    }
  }
}

export function guideSteps(markdown: string): GuideStep[] {
  const out: GuideStep[] = []
  collect(Lexer.lex(markdown, { gfm: true }), out)
  return out.filter((s) => s.text.length > 0)
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘]/g, "'")
}

export function queryWords(query: string): string[] {
  return normalise(query)
    .split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length > 0)
}

export interface GuideMatch {
  topicId: string
  topicTitle: string
  text: string
  kind: GuideStep['kind']
}

/** Steps that contain every word of the query (a word may be the start of a longer one), best first. */
export function searchGuide(
  topics: readonly { id: string; title: string; body: string }[],
  query: string,
  limit = 30,
): GuideMatch[] {
  const words = queryWords(query)
  if (words.length === 0) return []
  const matches: (GuideMatch & { score: number })[] = []
  topics.forEach((topic, topicIndex) => {
    const titleWords = normalise(topic.title)
    for (const step of guideSteps(topic.body)) {
      const haystack = normalise(step.text)
      const tokens = haystack.split(/[^\p{L}\p{N}']+/u)
      if (!words.every((w) => tokens.some((t) => t.startsWith(w)) || haystack.includes(w))) continue
      const exact = words.filter((w) => tokens.includes(w)).length
      const inTitle = words.filter((w) => titleWords.includes(w)).length
      const score = exact * 10 + inTitle * 3 + (step.kind === 'step' ? 2 : 0) - topicIndex * 0.01
      matches.push({ topicId: topic.id, topicTitle: topic.title, text: step.text, kind: step.kind, score })
    }
  })
  matches.sort((a, b) => b.score - a.score)
  return matches.slice(0, limit).map(({ score: _score, ...m }) => m)
}

/** The topics a query finds, best first, each once. */
export function topicsMentioning(
  topics: readonly { id: string; title: string; body: string }[],
  query: string,
): string[] {
  return [...new Set(searchGuide(topics, query, Infinity).map((m) => m.topicId))]
}
