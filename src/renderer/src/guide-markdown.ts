// Guide Markdown -> HTML. The content ships with the app, but the renderer still treats it as
// untrusted: raw HTML in the Markdown is shown as text, images become their alt text, and only
// allowlisted https links become links (opened in the system browser by main, never in this window).
import { Marked, type Token, type Tokens } from 'marked'
import { isAllowedExternalUrl } from '../../shared/guide.js'

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)
}

/** A link to another guide topic: "#topic-id", "topic-id.md" or "guide:topic-id". */
export function topicLinkTarget(href: string): string | null {
  const m = /^(?:#|guide:|\.\/)?([a-z0-9][a-z0-9-]*)(?:\.md)?$/.exec(href)
  if (!m || /^https?$/.test(m[1] ?? '')) return null
  if (!href.startsWith('#') && !href.startsWith('guide:') && !href.endsWith('.md')) return null
  return m[1] ?? null
}

/** Added to a Markdown heading's depth; set per document by renderMarkdown (parsing is synchronous). */
let headingShift = 2

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // Raw HTML (blocks and inline tags) is shown as the text it is, never parsed.
    html({ text }) {
      return escapeHtml(text)
    },
    // Guide headings sit under the view's h1 and the topic's h2: the body's top level becomes h3.
    heading({ tokens, depth }) {
      const level = Math.min(6, Math.max(3, depth + headingShift))
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`
    },
    image({ text }) {
      return text ? `<span class="md-image-alt">${escapeHtml(text)}</span>` : ''
    },
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens)
      const topic = topicLinkTarget(href)
      if (topic) {
        return `<a href="#${escapeHtml(topic)}" data-topic="${escapeHtml(topic)}">${label}</a>`
      }
      if (isAllowedExternalUrl(href)) {
        return (
          `<a href="${escapeHtml(href)}" class="external-link" data-external="true">${label}` +
          `<span class="visually-hidden"> (opens in your web browser)</span></a>`
        )
      }
      // Not on the allowlist (or tel:, mailto:, http:): the words stay, the link does not.
      return `<span class="inert-link">${label}</span>`
    },
  },
})

export function renderMarkdown(markdown: string): string {
  const tokens = marked.lexer(markdown)
  const depths = tokens.filter((t): t is Tokens.Heading => t.type === 'heading').map((t) => t.depth)
  headingShift = 3 - (depths.length ? Math.min(...depths) : 1)
  return marked.parser(tokens)
}

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
  collect(marked.lexer(markdown), out)
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

/** Steps that contain every word of the query (prefix match per word), best first. */
export function searchTopics(
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
