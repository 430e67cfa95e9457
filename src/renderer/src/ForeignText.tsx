// Text that came from another program (an app's name, its program file, a device or detector
// message) shown in the window. React already escapes markup; this adds what React does not:
// control and bidi characters written out, the text isolated so it cannot reorder its neighbours,
// and a long text cut to one line with the whole of it shown on hover and on keyboard focus.
import { shorten, visibleText } from '../../shared/escape.js'

/** Longer than this (in characters), a text is cut to the line until hovered or focused. */
const LONG = 60

export function ForeignText({ text, className }: { text: string; className?: string }) {
  const shown = visibleText(text)
  const long = [...shown].length > LONG
  const classes = ['foreign', long ? 'foreign-long' : '', className ?? ''].filter(Boolean).join(' ')
  return (
    <bdi className={classes} title={long ? shown : undefined} tabIndex={long ? 0 : undefined}>
      {shown}
    </bdi>
  )
}

/**
 * The same for places that take a plain string (a status message, a button label, an accessible
 * name): written out (so no override can reorder the words around it) and cut to max characters.
 */
export function foreignString(text: string, max = 60): string {
  return shorten(visibleText(text), max)
}
