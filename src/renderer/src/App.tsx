import { useCallback, useEffect, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import { VIEWS, type View } from '../../shared/ipc.js'
import { useApi } from './camguard-api.js'
import { useQuickExitKeys } from './quick-exit.js'
import { ActivityView } from './ActivityView.js'
import { EvidenceView } from './EvidenceView.js'
import { GuideView } from './GuideView.js'
import { SettingsView } from './SettingsView.js'
import { StatusView } from './StatusView.js'

const VIEW_LABELS: Record<View, string> = {
  status: 'Status',
  guide: 'Guide',
  activity: 'Activity',
  evidence: 'Evidence',
  settings: 'Settings',
}

export interface Route {
  view: View
  /** A guide topic to open, e.g. from "#guide/if-it-happens". */
  topic: string | null
}

/** "#guide" or "#guide/topic-id" -> a route; anything else -> Status. */
export function routeFromHash(hash: string): Route {
  const [view, topic] = hash.replace(/^#\/?/, '').split('/')
  if ((VIEWS as readonly string[]).includes(view ?? '')) {
    return {
      view: view as View,
      topic: view === 'guide' && topic && /^[a-z0-9-]+$/.test(topic) ? topic : null,
    }
  }
  return { view: 'status', topic: null }
}

function hashFor(route: Route): string {
  return route.topic ? `#${route.view}/${route.topic}` : `#${route.view}`
}

export function App() {
  const api = useApi()
  const [route, setRoute] = useState<Route>(() => routeFromHash(window.location.hash))
  const [hidden, setHidden] = useState(false)
  const mainRef = useRef<HTMLElement>(null)
  const moveFocus = useRef(false)

  const go = useCallback((view: View, topic: string | null = null) => {
    moveFocus.current = true
    setHidden(false)
    setRoute({ view, topic })
  }, [])

  // Keep the hash in step (same document, no navigation), so a reload shows the same view.
  useEffect(() => {
    if (window.location.hash !== hashFor(route)) window.history.replaceState(null, '', hashFor(route))
  }, [route])

  useEffect(() => {
    document.title = hidden ? 'CamGuard' : `${VIEW_LABELS[route.view]} — CamGuard`
  }, [route.view, hidden])

  // Main asks for a view (a notification or the tray was clicked).
  useEffect(
    () =>
      api.onNavigate((view) => {
        if ((VIEWS as readonly string[]).includes(view)) go(view)
      }),
    [api, go],
  )

  useEffect(() => {
    const onHash = (): void => {
      const next = routeFromHash(window.location.hash)
      setRoute((current) => (hashFor(current) === hashFor(next) ? current : next))
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  // After a view change, put focus on the new view's heading so screen readers announce it.
  useEffect(() => {
    if (!moveFocus.current || hidden) return
    moveFocus.current = false
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus()
  }, [route, hidden])

  const hideNow = useCallback(() => {
    // Clear the page first, so nothing of it shows if the window is seen again before it hides.
    flushSync(() => setHidden(true))
    void api.hideWindow()
  }, [api])

  useQuickExitKeys(hideNow, !hidden)

  // When the window comes back after a quick exit, it opens on the neutral Status view.
  useEffect(() => {
    if (!hidden) return
    const restore = (): void => {
      if (document.visibilityState === 'visible') go('status')
    }
    const onVisibility = (): void => {
      if (document.visibilityState === 'hidden') window.addEventListener('focus', restore, { once: true })
    }
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      document.removeEventListener('visibilitychange', onVisibility)
      window.removeEventListener('focus', restore)
    }
  }, [hidden, go])

  // Links never navigate this window; the guide opens allowed links itself through main.
  useEffect(() => {
    const onClick = (event: MouseEvent): void => {
      if (event.target instanceof Element && event.target.closest('a[href]')) event.preventDefault()
    }
    document.addEventListener('click', onClick)
    return () => document.removeEventListener('click', onClick)
  }, [])

  if (hidden) {
    return (
      <main className="neutral" ref={mainRef}>
        <h1 className="neutral-title">CamGuard</h1>
        <button type="button" className="button" onClick={() => go('status')}>
          Open CamGuard
        </button>
      </main>
    )
  }

  return (
    <div className="app">
      <header className="app-header">
        <div className="header-row">
          <p className="brand">
            <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3Z" />
            </svg>
            CamGuard
          </p>
          <div className="quick-exit">
            <button
              type="button"
              className="button hide-now"
              onClick={hideNow}
              aria-describedby="hide-now-note"
            >
              Hide now
            </button>
            <p id="hide-now-note" className="hide-now-note">
              Hides this window at once (or press Esc, or Shift three times). It does not clear your browser
              history or other apps.
            </p>
          </div>
        </div>
        <nav aria-label="CamGuard sections" className="main-nav">
          <ul>
            {VIEWS.map((view) => (
              <li key={view}>
                <button
                  type="button"
                  className="nav-button"
                  aria-current={route.view === view ? 'page' : undefined}
                  onClick={() => go(view)}
                >
                  {VIEW_LABELS[view]}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" ref={mainRef} className="view">
        {route.view === 'status' && <StatusView onOpenGuide={(topic) => go('guide', topic)} />}
        {route.view === 'guide' && <GuideView initialTopic={route.topic} onNavigate={(view) => go(view)} />}
        {route.view === 'activity' && <ActivityView />}
        {route.view === 'evidence' && <EvidenceView />}
        {route.view === 'settings' && <SettingsView />}
      </main>
    </div>
  )
}
