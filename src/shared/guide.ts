import type { Region } from './settings.js'

/** One guide topic, loaded from resources/guide/<id>.md. */
export interface GuideTopic {
  id: string
  title: string
  order: number
  /** Regions the topic is for; null means every region. */
  regions: Region[] | null
  /** Markdown body without front matter. */
  body: string
}

/** Topics for every region plus the region's own, in the order given, with `{{emergency}}` filled in. */
export function topicsForRegion(topics: readonly GuideTopic[], region: Region): GuideTopic[] {
  const mine = topics.filter((t) => t.regions === null || t.regions.includes(region))
  const emergency = emergencySection(helpTopicFor(mine, region))
  return mine.map((t) =>
    DIRECTIVE_LINE.test(t.body) ? { ...t, body: fillDirectives(t.body, emergency) } : t,
  )
}

/** Sorts by order, then id, so equal orders still give one stable sequence. */
export function sortTopics(topics: readonly GuideTopic[]): GuideTopic[] {
  return [...topics].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** The region's "get help" topic: by convention the file help-<region>.md. */
export function helpTopicFor(topics: readonly GuideTopic[], region: Region): GuideTopic | undefined {
  return (
    topics.find((t) => t.id === `help-${region}`) ??
    topics.find((t) => t.id.startsWith('help') && t.regions?.includes(region))
  )
}

/**
 * The heading of the section of each help page that `{{emergency}}` copies into other topics, so a
 * reader in danger sees their own region's emergency number and crisis lines without another click.
 */
export const EMERGENCY_HEADING = 'In an emergency'

/** Directives a shared topic may use, each alone on its line. */
export const GUIDE_DIRECTIVES = ['emergency'] as const
export const DIRECTIVE_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g
const DIRECTIVE_LINE = /^[ \t]*\{\{\s*emergency\s*\}\}[ \t]*$/m

// Said where a region has no help page (a broken install): still points somewhere useful.
const NO_EMERGENCY_SECTION = '- Call your local emergency number.'

function emergencySection(help: GuideTopic | undefined): string {
  if (!help) return NO_EMERGENCY_SECTION
  const lines = help.body.split('\n')
  const start = lines.findIndex((l) => l.trim() === `## ${EMERGENCY_HEADING}`)
  if (start < 0) return NO_EMERGENCY_SECTION
  const rest = lines.slice(start + 1)
  const end = rest.findIndex((l) => /^#{1,2}\s/.test(l))
  return (end < 0 ? rest : rest.slice(0, end)).join('\n').trim() || NO_EMERGENCY_SECTION
}

function fillDirectives(body: string, emergency: string): string {
  return body.replace(new RegExp(DIRECTIVE_LINE.source, 'gm'), () => emergency)
}

/** Where a link in the guide goes: another topic, a view of the window, or (null) neither. */
export type GuideLink = { kind: 'topic'; id: string } | { kind: 'view'; view: string }

/**
 * "#id", "guide:id" and "id.md" link to another topic ("help" stands for the reader's region's help
 * topic); "view:name" links to a view of the window, which the terminal shows as a command instead.
 */
export function guideLinkTarget(href: string): GuideLink | null {
  const view = /^view:([a-z][a-z0-9-]*)$/.exec(href)
  if (view) return { kind: 'view', view: view[1]! }
  const topic = /^(?:#|guide:)([a-z0-9][a-z0-9-]*)$|^(?:\.\/)?([a-z0-9][a-z0-9-]*)\.md$/.exec(href)
  const id = topic?.[1] ?? topic?.[2]
  return id ? { kind: 'topic', id } : null
}

const VIEW_LINK = /\]\(view:([a-z][a-z0-9-]*)\)/g

/**
 * The body without the lines that link to views this face does not have (a view not built yet, or a
 * terminal without the matching command), so the guide never points at something missing.
 * The loader makes sure such links sit in list items of their own.
 */
export function withoutMissingViews(body: string, hasView: (view: string) => boolean): string {
  if (!body.includes('](view:')) return body
  return body
    .split('\n')
    .filter((line) => [...line.matchAll(VIEW_LINK)].every((m) => hasView(m[1]!)))
    .join('\n')
}

/**
 * A phone number as the guide writes it: digit groups joined by spaces or hyphens, with letters only
 * after a hyphen ("1800 666 111", "1-800-THE-LOST", "9-8-8"). Both renderers keep each one on one line.
 */
const PHONE_NUMBER = /(?<![\w-])\d+(?:[ \u00a0]\d+|-(?:\d+|[A-Z]{2,}))+(?![\w-])/g

/** Text cut into pieces that are phone numbers and pieces that are not, in order. */
export function phoneNumberParts(text: string): { text: string; phone: boolean }[] {
  const parts: { text: string; phone: boolean }[] = []
  let at = 0
  for (const match of text.matchAll(PHONE_NUMBER)) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index), phone: false })
    parts.push({ text: match[0], phone: true })
    at = match.index + match[0].length
  }
  if (at < text.length) parts.push({ text: text.slice(at), phone: false })
  return parts
}

/** https hosts the guide may open in the system browser; anything else is refused. */
export const EXTERNAL_LINK_HOSTS = [
  'www.police.uk',
  'www.reportfraud.police.uk',
  'reportfraud.police.uk',
  'www.ceop.police.uk',
  'www.childline.org.uk',
  'www.nspcc.org.uk',
  'www.iwf.org.uk',
  'revengepornhelpline.org.uk',
  'www.revengepornhelpline.org.uk',
  'swgfl.org.uk',
  'www.samaritans.org',
  'stopncii.org',
  'www.stopncii.org',
  'takeitdown.ncmec.org',
  'report.cybertip.org',
  'www.missingkids.org',
  'tips.fbi.gov',
  'www.ic3.gov',
  '988lifeline.org',
  'www.garda.ie',
  'hotline.ie',
  'www.hotline.ie',
  'www.ispcc.ie',
  'www.esafety.gov.au',
  'www.accce.gov.au',
  'www.cyber.gov.au',
  'kidshelpline.com.au',
  'www.lifeline.org.au',
  'www.cybertip.ca',
  'needhelpnow.ca',
  'www.needhelpnow.ca',
  'antifraudcentre-centreantifraude.ca',
  'kidshelpphone.ca',
  'www.europol.europa.eu',
  'www.betterinternetforkids.eu',
  'better-internet-for-kids.europa.eu',
  'www.inhope.org',
  'support.google.com',
] as const

/** True for https URLs whose host is on the allowlist (no credentials, no odd ports). */
export function isAllowedExternalUrl(raw: unknown): raw is string {
  if (typeof raw !== 'string' || raw.length > 2048) return false
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    (EXTERNAL_LINK_HOSTS as readonly string[]).includes(url.hostname)
  )
}
