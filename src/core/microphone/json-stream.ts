// `pw-dump --monitor` prints one JSON array per change, pretty-printed over many lines, one after
// another with nothing in between. This splits that text into the values as they complete.

const MAX_PENDING = 16 * 1024 * 1024

export class JsonValueSplitter {
  /** The text of the value begun but not yet complete. */
  private pending = ''
  private depth = 0
  private inString = false
  private escaped = false

  /** Feeds more text; returns the values it completed, and how many were not valid JSON. */
  push(text: string): { values: unknown[]; bad: number } {
    const values: unknown[] = []
    let bad = 0
    let from = this.depth > 0 ? 0 : -1
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (this.depth === 0) {
        // Between values only an opening bracket matters.
        if (c === 91 /* [ */ || c === 123 /* { */) {
          this.depth = 1
          from = i
        }
        continue
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false
        else if (c === 92 /* \ */) this.escaped = true
        else if (c === 34 /* " */) this.inString = false
        continue
      }
      if (c === 34) this.inString = true
      else if (c === 91 || c === 123) this.depth++
      else if (c === 93 /* ] */ || c === 125 /* } */) {
        if (--this.depth > 0) continue
        const json = this.pending + text.slice(from, i + 1)
        this.pending = ''
        from = -1
        try {
          values.push(JSON.parse(json))
        } catch {
          bad++
        }
      }
    }
    if (this.depth > 0 && from >= 0) this.pending += text.slice(from)
    // A value without end would grow without bound: drop it and start afresh.
    if (this.pending.length > MAX_PENDING) {
      this.reset()
      bad++
    }
    return { values, bad }
  }

  reset(): void {
    this.pending = ''
    this.depth = 0
    this.inString = false
    this.escaped = false
  }
}
