// Guide Markdown -> HTML. The content ships with the app, but the renderer still treats it as
// untrusted: raw HTML in the Markdown is shown as text, images become their alt text, and only
// allowlisted https links become links (opened in the system browser by main, never in this window).
import { Marked, type Tokens } from 'marked'
import { guideLinkTarget, isAllowedExternalUrl, phoneNumberParts } from '../../shared/guide.js'

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

// Text tokens keep entities as written ("&amp;"): escape everything else, not those.
const escapeText = (text: string) => text.replace(/&(?!#?\w+;)|[<>"']/g, (c) => HTML_ESCAPES[c] ?? c)

/** Escaped text with every phone number in a span that never wraps (a number split over lines misdials). */
function textWithPhones(text: string): string {
  return phoneNumberParts(text)
    .map((p) => (p.phone ? `<span class="phone">${escapeText(p.text)}</span>` : escapeText(p.text)))
    .join('')
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
    text(token) {
      if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens)
      return textWithPhones(token.text)
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
      const target = guideLinkTarget(href)
      if (target?.kind === 'topic') {
        return `<a href="#${escapeHtml(target.id)}" data-topic="${escapeHtml(target.id)}">${label}</a>`
      }
      if (target?.kind === 'view') {
        return `<a href="#${escapeHtml(target.view)}" data-view="${escapeHtml(target.view)}">${label}</a>`
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
