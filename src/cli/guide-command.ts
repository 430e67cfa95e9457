import { Command, CommanderError } from 'commander'
import { withoutMissingViews, type GuideLink, type GuideTopic } from '../shared/guide.js'
import { REGION_NAMES, type Region } from '../shared/settings.js'
import {
  localeFromEnv,
  parseRegion,
  REGION_CODES_HELP,
  regionChoice,
  type RegionChoice,
} from '../core/guide/region.js'

// The loader and renderer (marked, yaml) load only when the guide is asked for, so that
// `camguard watch`, which runs all day, does not carry them.
type GuideModule = typeof import('../core/guide/index.js')
import { RuntimeError, UsageError } from './errors.js'

export interface GuideCommandDeps {
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
  /** The saved region setting; 'auto' (or no setting) follows the locale in env. */
  regionSetting?: () => 'auto' | Region
  /** The guide folder; defaults to the shipped resources/guide. */
  dir?: string
}

// Readable line length: wide terminals get at most this, narrow ones their own width.
const MAX_WIDTH = 100
const MIN_WIDTH = 40

function outputWidth(out: NodeJS.WritableStream): number {
  const columns = (out as { columns?: unknown }).columns
  if (typeof columns !== 'number' || !Number.isFinite(columns) || columns <= 0) return 80
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns - 1))
}

/** Bold only for a person at a terminal, and never when NO_COLOR is set (no-color.org). */
function wantsAnsi(out: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  return (out as { isTTY?: boolean }).isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb'
}

const SEE_HELP = 'see "camguard guide --help"'

/** Finds a topic by exact id (any region), 'help' (the region's help page), or a unique id prefix. */
function findTopic(
  guide: GuideModule,
  all: GuideTopic[],
  shown: GuideTopic[],
  wanted: string,
  region: Region,
): GuideTopic {
  const key = wanted.trim().toLowerCase()
  const exact = shown.find((t) => t.id === key) ?? all.find((t) => t.id === key)
  if (exact) return exact
  if (key === 'help') {
    const help = guide.helpTopicFor(shown, region)
    if (help) return help
  }
  const prefixed = shown.filter((t) => t.id.startsWith(key))
  if (key && prefixed.length === 1) return prefixed[0]!
  if (key && prefixed.length > 1) {
    throw new UsageError(
      `"${wanted}" could mean ${prefixed.map((t) => t.id).join(', ')}; type more of the topic name, or ${SEE_HELP}`,
    )
  }
  const mentions = guide.topicsMentioning(shown, wanted)
  const hint = mentions.length
    ? `topics that mention it: ${mentions.slice(0, 4).join(', ')}`
    : 'run "camguard guide" to list the topics'
  throw new UsageError(`there is no guide topic "${wanted}"; ${hint}, or ${SEE_HELP}`)
}

/**
 * Said first when no setting and no country in the locale decided the region (LANG=C.UTF-8): the
 * numbers shown may be the wrong ones, so say which region this is and how to pick another.
 */
function regionNote(choice: RegionChoice, env: NodeJS.ProcessEnv): string {
  if (choice.from !== 'no-country') return ''
  const key = ['LC_ALL', 'LC_MESSAGES', 'LANG'].find((k) => env[k]?.trim())
  const why = key
    ? `Your language setting (${key}=${env[key]!.trim()}) names no country`
    : "Your system's language settings name no country"
  return (
    `${why}, so this shows the region "${REGION_NAMES[choice.region]}".\n` +
    `For another region: camguard guide --region CODE (${REGION_CODES_HELP}).\n` +
    'To keep it: camguard config set region CODE\n\n'
  )
}

function listing(topics: GuideTopic[], region: Region): string {
  const width = Math.max(...topics.map((t) => t.id.length))
  const lines = [
    `CamGuard guide (${REGION_NAMES[region]})`,
    '',
    ...topics.map((t) => `  ${t.id.padEnd(width)}  ${t.title}`),
    '',
    'Open a topic:   camguard guide TOPIC   (e.g. "camguard guide help" for phone numbers and services)',
    `Other region:   camguard guide --region CODE   (${REGION_CODES_HELP})`,
  ]
  return lines.join('\n') + '\n'
}

/** `camguard guide [TOPIC] [--region CODE]`: lists the guide's topics or prints one. */
export function guideCommand(deps: GuideCommandDeps): Command {
  const command = new Command('guide')
    .description('read the guide on webcam extortion: how to stay safe, what to do, where to get help')
    .argument('[topic]', 'topic id, a unique start of one, or "help" for where to get help')
    .option('--region <code>', `whose phone numbers and services to show: ${REGION_CODES_HELP}`)
    .configureOutput({
      writeOut: (s) => void deps.out.write(s),
      writeErr: (s) => void deps.err.write(s),
      // Usage problems become UsageError below; the main CLI prints that one line, so commander must not.
      outputError: () => {},
    })
    .exitOverride((error: CommanderError) => {
      if (error.exitCode === 0) throw error // --help: commander has printed it; the caller exits 0
      throw new UsageError(`${error.message.replace(/^error: /, '')}; ${SEE_HELP}`)
    })
    .action(async (topicArg: string | undefined, options: { region?: string }) => {
      let choice: RegionChoice
      const locale = localeFromEnv(deps.env)
      if (options.region !== undefined) {
        const parsed = parseRegion(options.region)
        if (!parsed) {
          throw new UsageError(
            `unknown region "${options.region}"; use one of ${REGION_CODES_HELP}, or ${SEE_HELP}`,
          )
        }
        choice = { region: parsed, from: 'setting' }
      } else {
        choice = regionChoice(deps.regionSetting?.() ?? 'auto', locale)
      }
      const region = choice.region

      const guide = await import('../core/guide/index.js')
      const { GuideError, guideDir, loadGuide, renderTopic, topicsForRegion } = guide
      let loaded: GuideTopic[]
      try {
        loaded = await loadGuide(deps.dir ?? guideDir())
      } catch (error) {
        // A broken install, not the user's mistake: exit 1 with the file that is wrong.
        if (error instanceof GuideError)
          throw new RuntimeError(`the guide could not be loaded: ${error.message}`)
        throw error
      }
      // A link to a window view prints the command that does the same here, or goes when there is none.
      const commands = new Set(command.parent?.commands.map((c) => c.name()) ?? [])
      const forTerminal = (t: GuideTopic) => ({
        ...t,
        body: withoutMissingViews(t.body, (v) => commands.has(v)),
      })
      const all = loaded.map(forTerminal)
      const shown = topicsForRegion(all, region)
      const note = regionNote(choice, deps.env)
      if (topicArg === undefined) {
        deps.out.write(note + listing(shown, region))
        return
      }
      const topic = findTopic(guide, all, shown, topicArg, region)
      const commandFor = (link: GuideLink) =>
        link.kind === 'topic' ? `camguard guide ${link.id}` : `camguard ${link.view} --help`
      deps.out.write(
        note +
          renderTopic(topic, {
            width: outputWidth(deps.out),
            ansi: wantsAnsi(deps.out, deps.env),
            commandFor,
          }),
      )
    })
  return command
}
