// Hostile strings for property tests: what another program may call itself.
import fc from 'fast-check'

/** C0, DEL, C1, bidi marks/embeddings/overrides/isolates, line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const ACTING = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u

/** Any Unicode text, with control, bidi and markup characters made common. */
export const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.oneof(
      fc.constantFrom(
        '\x1b',
        '\x1b[2J',
        '\r',
        '\n',
        '\x9b',
        '\x85',
        '\u202e',
        '\u2066',
        '\u2069',
        '\u200f',
        '<',
        '>',
        '&',
        '"',
        "'",
        '<a href="x">',
        '&amp;',
        '\\',
        '$',
        '`',
        '-',
      ),
      fc.string({ unit: 'binary', maxLength: 1 }),
    ),
  }),
)
