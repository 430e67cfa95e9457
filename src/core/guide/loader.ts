import { existsSync, readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import {
  DIRECTIVE_PATTERN,
  GUIDE_DIRECTIVES,
  guideLinkTarget,
  sortTopics,
  type GuideTopic,
} from '../../shared/guide.js'
import { REGIONS } from '../../shared/settings.js'

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
  // Line numbers in messages count from the top of the file.
  checkBody(parts.body, where, text.slice(0, text.length - parts.body.length).split('\n').length)
  const body = parts.body.replace(/^\s*\n/, '').trimEnd()
  if (!body.trim()) throw new GuideError(`${where}: the topic has no text after the front matter`, where)
  const { title, order, regions } = parsed.data
  return { id, title, order, regions: regions ? [...new Set(regions)] : null, body: body + '\n' }
}

/**
 * Directives are known and alone on their line; a link to a window view is a list item of its own,
 * so a face without that view can leave the whole item out (see withoutMissingViews).
 */
function checkBody(body: string, where: string, firstLine: number): void {
  body.split('\n').forEach((line, i) => {
    const at = `${where}, line ${firstLine + i}`
    for (const match of line.matchAll(DIRECTIVE_PATTERN)) {
      if (!(GUIDE_DIRECTIVES as readonly string[]).includes(match[1] ?? '')) {
        const known = GUIDE_DIRECTIVES.map((d) => `{{${d}}}`).join(', ')
        throw new GuideError(`${at}: unknown directive ${match[0]} (known: ${known})`, where)
      }
      if (line.trim() !== match[0]) {
        throw new GuideError(`${at}: ${match[0]} must be alone on its line`, where)
      }
    }
    for (const match of line.matchAll(/\]\((view:[^)]*)\)/g)) {
      if (guideLinkTarget(match[1]!)?.kind !== 'view') {
        throw new GuideError(
          `${at}: "${match[1]}" is not a view name (use lower-case letters and dashes)`,
          where,
        )
      }
      if (!/^\s*(?:[-*+]|\d+\.)\s/.test(line)) {
        throw new GuideError(`${at}: a link to a view must be in a list item of its own`, where)
      }
    }
  })
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
