// Strings from other programs (process names, paths, window titles, device names, PipeWire
// properties) are hostile: a program chooses its own name. This module is the one place that makes
// such a string safe for where it is shown. Each function keeps the text readable and truthful:
// nothing is dropped, a character that would act instead of show is written out visibly.

/**
 * Characters that act on a terminal or reorder text instead of showing: C0 controls, DEL, C1
 * controls, the bidi marks, embeddings, overrides and isolates, and the Unicode line and paragraph
 * separators.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ACTING = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu

const ACTING_ONE = new RegExp(ACTING.source, 'u')

const hex = (c: string, width: number): string => c.codePointAt(0)!.toString(16).padStart(width, '0')

/**
 * `\x1b` for C0 controls, `\u007f`, `\u009b`, `\u202e` for the rest: the notation bash's $'…' and
 * JavaScript read alike. Only C0 uses \x, so written-out JSON text is still JSON (JSON.stringify
 * never leaves a C0 control raw, and \uXXXX is a JSON escape).
 */
function written(c: string): string {
  return c.codePointAt(0)! < 0x20 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`
}

/**
 * The text with every control and bidi character written out (`\x1b`, `\u202e`), so it cannot
 * move the cursor, clear the screen, start a new line or reverse its neighbours. For the terminal,
 * and the base of every other face.
 */
export function visibleText(text: string): string {
  return text.replace(ACTING, written)
}

/** True when the text holds a character visibleText would write out. */
export function hasActingCharacters(text: string): boolean {
  return ACTING_ONE.test(text)
}

/**
 * JSON for a terminal: the same JSON (it parses to the same value), with DEL, C1 and bidi
 * characters written as \u escapes as well as the C0 controls JSON always escapes.
 */
export function terminalJson(value: unknown): string {
  return visibleText(JSON.stringify(value))
}

const MARKUP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/**
 * For a notification body on Linux, where servers read a subset of HTML (`<b>`, `<a href>`,
 * `<img>`): markup characters become entities, so a name such as `<a href=…>` shows as typed.
 * Control and bidi characters are written out first.
 */
export function notificationMarkup(text: string): string {
  return visibleText(text).replace(/[&<>"']/g, (c) => MARKUP[c]!)
}

/**
 * The visible text inside one first-strong isolate (U+2068 … U+2069): in plain-text places that
 * lay out bidi text (messages in the window, tray menus), a right-to-left name stays readable and
 * cannot reorder the words around it.
 */
export function isolated(text: string): string {
  return `\u2068${visibleText(text)}\u2069`
}

/** For a menu or tray label: `&` is doubled (Electron reads a single `&` as a keyboard mnemonic). */
export function menuLabel(text: string): string {
  return visibleText(text).replace(/&/g, '&&')
}

/**
 * One word a POSIX shell (and bash, zsh) reads back exactly: bare when it is plain, in single
 * quotes otherwise, and as bash's $'…' when it holds control or bidi characters (which single
 * quotes would pass on raw to the terminal). A word starting with `-` is preceded by `--` by the
 * caller (see shellArgs).
 */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9_./@+:-]+$/.test(text)) return text
  if (!hasActingCharacters(text)) return `'${text.replace(/'/g, `'\\''`)}'`
  const inner = text.replace(/[\\']/g, (c) => `\\${c}`).replace(ACTING, written)
  return `$'${inner}'`
}

/** Arguments as the user should type them: each a shell word, `--` before the first that looks like an option. */
export function shellArgs(args: readonly string[]): string {
  const words: string[] = []
  let ended = false
  for (const a of args) {
    if (!ended && a.startsWith('-')) {
      words.push('--')
      ended = true
    }
    words.push(shellWord(a))
  }
  return words.join(' ')
}

/**
 * Shortens text for a one-line place (tooltip, label) to at most max characters, ending with "…";
 * cuts between characters, never inside a surrogate pair.
 */
export function shorten(text: string, max: number): string {
  const chars = [...text]
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`
}
