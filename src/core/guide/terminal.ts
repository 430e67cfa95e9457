import { Lexer, type Token, type Tokens } from 'marked'
import { guideLinkTarget, phoneNumberParts, type GuideLink, type GuideTopic } from '../../shared/guide.js'

export interface TerminalOptions {
  /** Wrap to this many columns (default 80). Words longer than that, such as URLs, are never split. */
  width?: number
  /** Use ANSI bold for headings and strong text. Off unless asked: output may be piped or read aloud. */
  ansi?: boolean
  /**
   * The command that opens what a guide link points at, printed after its words; null prints the words
   * alone. By default topics open with "camguard guide ID" and window views have no command.
   */
  commandFor?: (link: GuideLink) => string | null
}

const defaultCommandFor = (link: GuideLink): string | null =>
  link.kind === 'topic' ? `camguard guide ${link.id}` : null

// Wrapping splits only at ordinary spaces: a phone number or a command is glued with no-break spaces
// while it is laid out, and they become ordinary spaces again in the output.
const GLUE = '\u00a0'
const glue = (text: string) => text.replace(/ /g, GLUE)
const unglue = (text: string) => text.replaceAll(GLUE, ' ')

/** Keeps every phone number in the text on one line. */
function gluePhoneNumbers(text: string): string {
  return phoneNumberParts(text)
    .map((p) => (p.phone ? glue(p.text) : p.text))
    .join('')
}

const BOLD = '\x1b[1m'
const NORMAL = '\x1b[22m'
// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\x1b\[[0-9;]*m/g

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

/** Text tokens keep HTML entities as written; a terminal should show the character. */
function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return ENTITIES[name.toLowerCase()] ?? whole
  })
}

const stripTags = (html: string) => html.replace(/<[^>]*>/g, '')

/** Renders inline tokens to one string; line breaks from hard breaks are kept as '\n'. */
function inline(tokens: Token[] | undefined, ctx: Ctx): string {
  if (!tokens) return ''
  const ansi = ctx.ansi
  let out = ''
  for (const token of tokens) {
    switch (token.type) {
      case 'text': {
        const t = token as Tokens.Text
        out += t.tokens ? inline(t.tokens, ctx) : gluePhoneNumbers(decodeEntities(t.text))
        break
      }
      case 'escape':
        out += (token as Tokens.Escape).text
        break
      case 'strong': {
        const inner = inline((token as Tokens.Strong).tokens, ctx)
        out += ansi ? BOLD + inner + NORMAL : inner
        break
      }
      case 'em':
      case 'del':
        out += inline((token as Tokens.Em | Tokens.Del).tokens, ctx)
        break
      case 'codespan':
        out += (token as Tokens.Codespan).text
        break
      case 'br':
        out += '\n'
        break
      case 'link': {
        const link = token as Tokens.Link
        out += linkText(inline(link.tokens, ctx), link.href, ctx)
        break
      }
      case 'image':
        out += (token as Tokens.Image).text
        break
      case 'html':
        out += decodeEntities(stripTags((token as Tokens.HTML).text))
        break
      default: {
        const generic = token as Tokens.Generic
        out += generic.tokens ? inline(generic.tokens, ctx) : decodeEntities(String(generic.text ?? ''))
      }
    }
  }
  return out
}

/**
 * "text (url)"; the address alone when the text already is the address; phone/mail links show only
 * text; links to topics and views show the command that opens them: "Get help (camguard guide help)".
 */
function linkText(text: string, href: string, ctx: Ctx): string {
  const plain = text.replace(ANSI_PATTERN, '').trim()
  if (/^(tel|mailto|sms):/i.test(href)) return text
  const target = guideLinkTarget(href)
  if (target) {
    const command = ctx.commandFor(target)
    return command ? `${text} (${glue(command)})` : text
  }
  // "samaritans.org" as the text of https://www.samaritans.org adds nothing: show the address once.
  const bare = href.replace(/^https?:\/\/(www\.)?/i, '').replace(/\/$/, '')
  if (plain === href || plain.replace(/^www\./i, '') === bare || plain === '') return href
  return `${text} (${href})`
}

const visibleLength = (s: string) => [...s.replace(ANSI_PATTERN, '')].length

/** Greedy word wrap; `first` prefixes line one, `rest` the others. Hard breaks ('\n') are kept. */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = []
  let prefix = first
  for (const para of text.split('\n')) {
    const words = para.split(/[ \t]+/).filter(Boolean)
    let line = ''
    let used = 0 // visible length of prefix + line
    for (const word of words) {
      const length = visibleLength(word)
      if (line && used + 1 + length > width) {
        lines.push(prefix + line)
        prefix = rest
        line = word
        used = visibleLength(prefix) + length
      } else {
        used = line ? used + 1 + length : visibleLength(prefix) + length
        line = line ? `${line} ${word}` : word
      }
    }
    lines.push(prefix + line)
    prefix = rest
  }
  return lines.map((l) => l.replace(/\s+$/, ''))
}

interface Ctx {
  width: number
  ansi: boolean
  commandFor: (link: GuideLink) => string | null
}

function heading(text: string, depth: number, ctx: Ctx): string[] {
  const plain = text.replace(ANSI_PATTERN, '')
  const bold = (s: string) => (ctx.ansi ? BOLD + s + NORMAL : s)
  if (depth <= 2) {
    const lines = wrap(plain, ctx.width)
    const underline = (depth === 1 ? '=' : '-').repeat(
      Math.min(ctx.width, Math.max(...lines.map(visibleLength))),
    )
    return [...lines.map(bold), underline]
  }
  return wrap(plain.toUpperCase(), ctx.width).map(bold)
}

/** Renders block tokens into blocks (each an array of lines); blocks are later joined by blank lines. */
function blocks(tokens: Token[], ctx: Ctx, indent: string): string[][] {
  const out: string[][] = []
  const width = ctx.width
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
      case 'def':
        break
      case 'heading': {
        const h = token as Tokens.Heading
        out.push(heading(inline(h.tokens, ctx), h.depth, ctx).map((l) => indent + l))
        break
      }
      case 'paragraph':
        out.push(wrap(inline((token as Tokens.Paragraph).tokens, ctx), width, indent))
        break
      case 'text': {
        // Block-level text appears inside tight list items.
        const t = token as Tokens.Text
        out.push(
          wrap(t.tokens ? inline(t.tokens, ctx) : gluePhoneNumbers(decodeEntities(t.text)), width, indent),
        )
        break
      }
      case 'list':
        out.push(list(token as Tokens.List, ctx, indent))
        break
      case 'blockquote': {
        const inner = blocks((token as Tokens.Blockquote).tokens, ctx, indent + '  | ')
        out.push(joinBlocks(inner, indent + '  |'))
        break
      }
      case 'code':
        out.push((token as Tokens.Code).text.split('\n').map((l) => `${indent}    ${l}`.trimEnd()))
        break
      case 'hr':
        out.push([indent + '-'.repeat(Math.max(3, Math.min(40, width - indent.length)))])
        break
      case 'table':
        out.push(table(token as Tokens.Table, ctx, indent))
        break
      case 'html': {
        const text = decodeEntities(stripTags((token as Tokens.HTML).text)).trim()
        if (text) out.push(wrap(text, width, indent))
        break
      }
      default: {
        const generic = token as Tokens.Generic
        if (generic.tokens) out.push(...blocks(generic.tokens, ctx, indent))
        else if (generic.text) out.push(wrap(String(generic.text), width, indent))
      }
    }
  }
  return out
}

function joinBlocks(parts: string[][], blank = ''): string[] {
  const lines: string[] = []
  parts.forEach((part, i) => {
    if (i > 0) lines.push(blank)
    lines.push(...part)
  })
  return lines
}

function list(token: Tokens.List, ctx: Ctx, indent: string): string[] {
  const start = typeof token.start === 'number' ? token.start : 1
  const raw = token.items.map((_, i) => (token.ordered ? `${start + i}.` : '-'))
  const longest = Math.max(...raw.map((m) => m.length))
  // Numbers are right-aligned so "9." and "10." line their text up.
  const markers = raw.map((m) => m.padStart(longest))
  const markerWidth = longest + 1
  const lines: string[] = []
  token.items.forEach((item, i) => {
    const marker = markers[i]!.padEnd(markerWidth)
    const hang = indent + ' '.repeat(markerWidth)
    const check = item.task ? (item.checked ? '[x] ' : '[ ] ') : ''
    const itemTokens = item.tokens.filter((t) => t.type !== 'checkbox')
    const parts = blocks(itemTokens, ctx, hang)
    // Loose lists (blank lines between items) keep the blank lines; tight ones stay compact.
    const body = token.loose ? joinBlocks(parts) : parts.flat()
    if (body.length === 0) body.push(hang)
    body[0] = indent + marker + check + body[0]!.slice(hang.length)
    if (token.loose && i > 0) lines.push('')
    lines.push(...body)
  })
  return lines
}

function table(token: Tokens.Table, ctx: Ctx, indent: string): string[] {
  const rows = [token.header, ...token.rows].map((row) => row.map((cell) => inline(cell.tokens, ctx)))
  const widths = token.header.map((_, c) => Math.max(...rows.map((r) => visibleLength(r[c] ?? ''))))
  const line = (row: string[]) =>
    indent + row.map((cell, c) => cell + ' '.repeat(Math.max(0, widths[c]! - visibleLength(cell)))).join('  ')
  return [
    line(rows[0]!),
    indent + widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].map((l) => l.trimEnd())
}

function context(options: TerminalOptions): Ctx {
  return {
    width: Math.max(20, Math.floor(options.width ?? 80)),
    ansi: options.ansi ?? false,
    commandFor: options.commandFor ?? defaultCommandFor,
  }
}

// A topic is often rendered again at once (another width, a resized terminal): lex it once.
let lastLexed: { markdown: string; tokens: Token[] } | null = null

function lex(markdown: string): Token[] {
  if (lastLexed?.markdown !== markdown)
    lastLexed = { markdown, tokens: new Lexer({ gfm: true }).lex(markdown) }
  return lastLexed.tokens
}

function renderBody(markdown: string, ctx: Ctx): string {
  return joinBlocks(blocks(lex(markdown), ctx, '')).join('\n') + '\n'
}

/** Renders Markdown for a terminal: no Markdown syntax left, wrapped, links as "text (url)". */
export function renderMarkdown(markdown: string, options: TerminalOptions = {}): string {
  return unglue(renderBody(markdown, context(options)))
}

/** A whole topic: its title as the top heading, then the body. */
export function renderTopic(topic: GuideTopic, options: TerminalOptions = {}): string {
  const ctx = context(options)
  return unglue(heading(topic.title, 1, ctx).join('\n') + '\n\n' + renderBody(topic.body, ctx))
}
