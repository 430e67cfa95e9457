import { useMemo, type MouseEvent } from 'react'
import { isAllowedExternalUrl } from '../../shared/guide.js'
import { renderMarkdown } from './guide-markdown.js'

interface MarkdownProps {
  source: string
  onExternal: (url: string) => void
  onTopic: (topicId: string) => void
  /** A "view:name" link was followed: open that view of the window. */
  onView: (view: string) => void
}

/** Guide Markdown as HTML (raw HTML escaped by the renderer); links never navigate this window. */
export function Markdown({ source, onExternal, onTopic, onView }: MarkdownProps) {
  const html = useMemo(() => renderMarkdown(source), [source])

  const onClick = (event: MouseEvent<HTMLDivElement>): void => {
    const link = event.target instanceof Element ? event.target.closest('a') : null
    if (!link) return
    event.preventDefault()
    const topic = link.getAttribute('data-topic')
    if (topic) {
      onTopic(topic)
      return
    }
    const view = link.getAttribute('data-view')
    if (view) {
      onView(view)
      return
    }
    const href = link.getAttribute('href')
    if (link.hasAttribute('data-external') && isAllowedExternalUrl(href)) onExternal(href)
  }

  // The HTML comes from renderMarkdown, which escapes every raw HTML token in the guide text.
  return <div className="markdown" onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />
}
