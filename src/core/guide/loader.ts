import { existsSync, readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import type { GuideTopic } from '../../shared/guide.js'
import { REGIONS, type Region } from '../../shared/settings.js'
import { markdownToPlainText } from './terminal.js'

/** A guide file that cannot be used; the message names the file and what is wrong with it. */
export class GuideError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message)
    this.name = 'GuideError'
  }
}

// Ids come from file names and end up in commands ("camguard guide if-it-happens") and in the window's URLs.
const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/

const frontMatterSchema = z
  .object({
    title: z
      .string({ error: (i) => (i.input === undefined ? 'is missing' : 'must be text') })
      .trim()
      .min(1, 'must not be empty'),
    order: z.number({ error: (i) => (i.input === undefined ? 'is missing' : 'must be a number') }),
    regions: z
      .array(
        z.enum(REGIONS, {
          error: (i) => `has unknown region ${JSON.stringify(i.input)} (use ${REGIONS.join(', ')})`,
        }),
        { error: 'must be a list of region codes, e.g. [uk, ie]' },
      )
      .min(1, 'must list at least one region, or be left out for all regions')
      .optional(),
  })
  .strict()

/** Splits "---\nyaml\n---\nbody"; null when the file has no front matter. */
function splitFrontMatter(text: string): { yaml: string; body: string } | null {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/.exec(text)
  if (!match) return null
  return { yaml: match[1] ?? '', body: text.slice(match[0].length) }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: title, order, regions)`
      }
      const key = issue.path.filter((p) => typeof p === 'string').join('.')
      return key ? `"${key}" ${issue.message}` : issue.message
    })
    .join('; ')
}

/** Parses one guide file's text. `name` is the file name, used for the id and in error messages. */
export function parseTopic(name: string, text: string, where = name): GuideTopic {
  const id = name.replace(/\.md$/i, '')
  if (!ID_PATTERN.test(id)) {
    throw new GuideError(
      `${where}: the file name must be lower-case letters, digits and dashes (e.g. help-uk.md)`,
      where,
    )
  }
  const parts = splitFrontMatter(text)
  if (!parts) {
    throw new GuideError(
      `${where}: no front matter; start the file with a "---" block holding title and order`,
      where,
    )
  }
  let data: unknown
  try {
    data = parseYaml(parts.yaml)
  } catch (error) {
    const reason = (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)).replace(
      /:\s*$/,
      '',
    )
    throw new GuideError(`${where}: the front matter is not valid YAML: ${reason}`, where)
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new GuideError(
      `${where}: the front matter must be fields such as "title: ..." and "order: 10"`,
      where,
    )
  }
  const parsed = frontMatterSchema.safeParse(data)
  if (!parsed.success) throw new GuideError(`${where}: front matter ${describeIssues(parsed.error)}`, where)
  const body = parts.body.replace(/^\s*\n/, '').trimEnd()
  if (!body.trim()) throw new GuideError(`${where}: the topic has no text after the front matter`, where)
  const { title, order, regions } = parsed.data
  return { id, title, order, regions: regions ? [...new Set(regions)] : null, body: body + '\n' }
}

/** Sorts by order, then id, so equal orders still give one stable sequence. */
export function sortTopics(topics: GuideTopic[]): GuideTopic[] {
  return [...topics].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Reads every *.md file in `dir` (not recursive). Throws GuideError for the first unusable file. */
export async function loadGuide(dir: string): Promise<GuideTopic[]> {
  let names: string[]
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.md'))
      .map((entry) => entry.name)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new GuideError(`the guide folder ${dir} cannot be read${code ? ` (${code})` : ''}`)
  }
  names.sort()
  const topics: GuideTopic[] = []
  for (const name of names) {
    const file = join(dir, name)
    topics.push(parseTopic(name, await readFile(file, 'utf8'), file))
  }
  return sortTopics(topics)
}

/** Topics for every region plus the region's own, in guide order. */
export function topicsForRegion(topics: readonly GuideTopic[], region: Region): GuideTopic[] {
  return topics.filter((t) => t.regions === null || t.regions.includes(region))
}

/** The region's "get help" topic: by convention the file help-<region>.md. */
export function helpTopicFor(topics: readonly GuideTopic[], region: Region): GuideTopic | undefined {
  return (
    topics.find((t) => t.id === `help-${region}`) ??
    topics.find((t) => t.id.startsWith('help') && t.regions?.includes(region))
  )
}

/**
 * The shipped guide folder: <package root>/resources/guide, where the package root is the nearest folder
 * above `from` whose package.json is named "camguard". Works from src/ (tests), dist/cli/ and out/main/.
 * A packaged app that keeps resources elsewhere should pass its own folder to loadGuide instead.
 */
export function guideDir(from: string | URL = import.meta.url): string {
  let dir = resolve(
    typeof from === 'string' && !from.startsWith('file:') ? from : dirname(fileURLToPath(from)),
  )
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'camguard') {
          return join(dir, 'resources', 'guide')
        }
      } catch {
        // An unreadable package.json (another package's) is not ours; keep walking up.
      }
    }
    const parent = dirname(dir)
    if (parent === dir)
      throw new GuideError('cannot find the camguard package folder that holds resources/guide')
    dir = parent
  }
}

export interface GuideMatch {
  topic: GuideTopic
  /** A short piece of plain text around the first match, with "…" where it was cut. */
  snippet: string
}

/**
 * Topics that contain every word of the query (case-insensitive), title matches first.
 * Searches plain text, so Markdown syntax and link addresses never match by accident.
 */
export function searchGuide(topics: readonly GuideTopic[], query: string, snippetLength = 120): GuideMatch[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return []
  const scored: { match: GuideMatch; score: number; index: number }[] = []
  topics.forEach((topic, index) => {
    const text = markdownToPlainText(topic.body).replace(/\s+/g, ' ').trim()
    const title = topic.title.toLowerCase()
    const haystack = `${title} ${text.toLowerCase()}`
    if (!words.every((w) => haystack.includes(w))) return
    const score = words.filter((w) => title.includes(w)).length
    scored.push({ match: { topic, snippet: snippetAround(text, words, snippetLength) }, score, index })
  })
  return scored.sort((a, b) => b.score - a.score || a.index - b.index).map((s) => s.match)
}

function snippetAround(text: string, words: string[], length: number): string {
  const lower = text.toLowerCase()
  const hits = words.map((w) => lower.indexOf(w)).filter((i) => i >= 0)
  const at = hits.length ? Math.min(...hits) : 0
  let start = Math.max(0, at - Math.floor(length / 3))
  let end = Math.min(text.length, start + length)
  start = Math.max(0, end - length)
  // Cut at word boundaries so snippets do not begin or end mid-word.
  if (start > 0) start = text.indexOf(' ', start) + 1 || start
  if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`
}
