import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { sortTopics, topicsForRegion, withoutMissingViews, type GuideTopic } from '../../shared/guide.js'
import { plainText, searchGuide } from '../../shared/guide-search.js'
import { VIEWS, type GuideData, type View } from '../../shared/ipc.js'
import { REGION_NAMES, REGIONS, type Region } from '../../shared/settings.js'
import { useApi } from './camguard-api.js'
import { Markdown } from './Markdown.js'

const isView = (name: string): name is View => (VIEWS as readonly string[]).includes(name)

/**
 * The region's topics in order, as this window can show them: main prepares them already, this keeps
 * the window right whatever it is sent; links to views the window cannot open are left out.
 */
function topicsFor(topics: readonly GuideTopic[], region: Region, canOpen: (view: string) => boolean) {
  return sortTopics(topicsForRegion(topics, region)).map((t) => ({
    ...t,
    body: withoutMissingViews(t.body, canOpen),
  }))
}

/** Results shown before "Show all": enough to choose from, few enough to keep the topic in sight. */
const FIRST_RESULTS = 6

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase()
}

interface GuideViewProps {
  initialTopic: string | null
  /** Opens another view of the window, for links such as "view:evidence". */
  onNavigate?: (view: View) => void
}

export function GuideView({ initialTopic, onNavigate }: GuideViewProps) {
  const api = useApi()
  const id = useId()
  const [data, setData] = useState<GuideData | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [selected, setSelected] = useState<string | null>(initialTopic)
  const [query, setQuery] = useState('')
  const [linkMessage, setLinkMessage] = useState('')
  const [findStep, setFindStep] = useState<string | null>(null)
  const [showAll, setShowAll] = useState(false)
  const request = useRef(0)
  const topicHeading = useRef<HTMLHeadingElement>(null)
  const articleRef = useRef<HTMLElement>(null)

  const load = (region?: Region): void => {
    const mine = ++request.current
    setError(null)
    api.getGuide(region).then(
      (d) => {
        if (mine === request.current) setData(d)
      },
      (e: unknown) => {
        if (mine === request.current) setError(e instanceof Error ? e.message : String(e))
      },
    )
  }

  useEffect(() => {
    load()
    // Load once per api; region changes call load() themselves.
  }, [api])

  useEffect(() => {
    if (initialTopic) setSelected(initialTopic)
  }, [initialTopic])

  const navigable = onNavigate !== undefined
  const canOpen = useCallback((view: string) => navigable && view !== 'guide' && isView(view), [navigable])
  const topics = useMemo(() => (data ? topicsFor(data.topics, data.region, canOpen) : []), [data, canOpen])
  const current = topics.find((t) => t.id === selected) ?? topics[0] ?? null
  const matches = useMemo(() => searchGuide(topics, query), [topics, query])

  // After a search result is chosen: show the step in the topic and put focus on it.
  useEffect(() => {
    if (!findStep || !current) return
    const wanted = squash(findStep)
    const candidates = articleRef.current?.querySelectorAll<HTMLElement>('li, p, h3, h4, h5, h6, td') ?? []
    let target: HTMLElement | null = null
    for (const el of candidates) {
      const text = squash(plainText(el.textContent ?? ''))
      if (text && (text === wanted || text.startsWith(wanted) || wanted.startsWith(text))) {
        target = el
        break
      }
    }
    articleRef.current?.querySelectorAll('.found-step').forEach((el) => el.classList.remove('found-step'))
    setFindStep(null)
    if (target) {
      target.classList.add('found-step')
      target.tabIndex = -1
      target.focus()
      target.scrollIntoView({ block: 'center' })
    } else {
      topicHeading.current?.focus()
    }
  }, [findStep, current])

  /** A link's topic id: exact, or the region's own version ("#help" is help-uk in the UK). */
  const resolveTopic = (target: string): string => {
    if (topics.some((t) => t.id === target)) return target
    const regional = data ? topics.find((t) => t.id === `${target}-${data.region}`) : undefined
    return (regional ?? topics.find((t) => t.id.startsWith(`${target}-`)))?.id ?? target
  }

  const openTopic = (topicId: string, step: string | null = null): void => {
    setSelected(resolveTopic(topicId))
    setLinkMessage('')
    if (step) setFindStep(step)
    else window.requestAnimationFrame(() => topicHeading.current?.focus())
  }

  const openExternal = (url: string): void => {
    api.openExternal(url).then(
      (ok) =>
        setLinkMessage(
          ok ? `Opened ${new URL(url).hostname} in your web browser.` : 'CamGuard could not open that link.',
        ),
      () => setLinkMessage('CamGuard could not open that link.'),
    )
  }

  return (
    <>
      <h1 tabIndex={-1}>Guide</h1>
      <p className="lead">
        Calm, short steps: how to keep your camera private, and what to do if someone threatens you with a
        recording. It works offline.
      </p>

      <div className="guide-tools">
        <div className="field">
          <label htmlFor={`${id}-region`}>Where you are</label>
          <select
            id={`${id}-region`}
            value={data?.region ?? ''}
            aria-describedby={`${id}-region-hint`}
            disabled={!data}
            onChange={(e) => load(e.target.value as Region)}
          >
            {!data && <option value="">Loading…</option>}
            {REGIONS.map((r) => (
              <option key={r} value={r}>
                {REGION_NAMES[r]}
              </option>
            ))}
          </select>
          <p id={`${id}-region-hint`} className="hint">
            Phone numbers and places to report are shown for this place.
          </p>
        </div>
        <search className="field">
          <label htmlFor={`${id}-search`}>Search the guide</label>
          <input
            id={`${id}-search`}
            type="search"
            value={query}
            placeholder="For example: block, report, money"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              setQuery(e.target.value)
              setShowAll(false)
            }}
          />
        </search>
      </div>

      {error && <p className="error-text">The guide could not be loaded: {error}</p>}

      {query.trim() && (
        <section aria-labelledby={`${id}-results`} className="search-results">
          <h2 id={`${id}-results`} className="small-heading">
            Search results
          </h2>
          <p role="status">
            {matches.length === 0
              ? `Nothing found for “${query.trim()}”. Try fewer or simpler words.`
              : `${matches.length} ${matches.length === 1 ? 'step' : 'steps'} found for “${query.trim()}”.`}
          </p>
          {matches.length > 0 && (
            <ul className="card-list">
              {(showAll ? matches : matches.slice(0, FIRST_RESULTS)).map((m, i) => (
                <li key={`${m.topicId}-${i}`} className="card match">
                  <p className="match-topic">In “{m.topicTitle}”</p>
                  <p className="match-text">{m.text}</p>
                  <button type="button" className="link-button" onClick={() => openTopic(m.topicId, m.text)}>
                    Show this step in “{m.topicTitle}”
                  </button>
                </li>
              ))}
            </ul>
          )}
          {!showAll && matches.length > FIRST_RESULTS && (
            <button type="button" className="button" onClick={() => setShowAll(true)}>
              Show all {matches.length} results
            </button>
          )}
        </section>
      )}

      <div className="guide-layout">
        <nav aria-label="Guide topics" className="toc">
          <h2 className="small-heading" id={`${id}-toc`}>
            Topics
          </h2>
          {data && topics.length === 0 && <p>No topics for this place.</p>}
          <ol aria-labelledby={`${id}-toc`}>
            {topics.map((t) => (
              <li key={t.id}>
                <button
                  type="button"
                  className="toc-button"
                  aria-current={current?.id === t.id ? 'true' : undefined}
                  onClick={() => openTopic(t.id)}
                >
                  {t.title}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <article className="topic" aria-labelledby={`${id}-topic`} ref={articleRef}>
          {!data && !error && <p>Loading the guide…</p>}
          {current && (
            <>
              <h2 id={`${id}-topic`} tabIndex={-1} ref={topicHeading}>
                {current.title}
              </h2>
              <Markdown
                source={current.body}
                onExternal={openExternal}
                onTopic={(t) => openTopic(t)}
                onView={(view) => {
                  if (canOpen(view) && isView(view)) onNavigate?.(view)
                }}
              />
            </>
          )}
          <p role="status" className="link-message">
            {linkMessage}
          </p>
        </article>
      </div>
    </>
  )
}
