import { readdirSync, realpathSync, statSync } from 'node:fs'
import { dirname, join, sep } from 'node:path'
import picomatch from 'picomatch'

export interface DeviceFile {
  /** The path as the pattern matched it. */
  path: string
  /** The real path (symlinks resolved): what /proc/<pid>/fd links point to. */
  real: string
}

/**
 * Expands device patterns such as /dev/video* to existing files. Only the part after the last
 * static directory is globbed, so /dev is read once, not walked.
 */
export function expandDevicePatterns(patterns: readonly string[]): DeviceFile[] {
  const seen = new Map<string, DeviceFile>()
  for (const pattern of patterns) {
    for (const path of expandOne(pattern)) {
      let real = path
      try {
        real = realpathSync(path)
      } catch {
        continue // vanished between readdir and now
      }
      if (!seen.has(real)) seen.set(real, { path, real })
    }
  }
  return [...seen.values()].sort((a, b) => naturalCompare(a.path, b.path))
}

/**
 * Orders paths as people count: video2 before video10. Plain code instead of an ICU collator
 * (localeCompare with a locale), which costs a monitor megabytes of memory and time on every check.
 */
export function naturalCompare(a: string, b: string): number {
  const x = a.match(/\d+|\D+/g) ?? []
  const y = b.match(/\d+|\D+/g) ?? []
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i]!, y[i]!]
    if (p === q) continue
    const numbers = /^\d/.test(p) && /^\d/.test(q)
    if (!numbers) return p < q ? -1 : 1
    // Leading zeros do not count (video4 and video04 are the same number), as for people.
    const d = Number(p) - Number(q)
    if (d !== 0) return d
  }
  // Same by count: fall back to the plain order so a list always sorts the same way.
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0)
}

// Compiled once per pattern: a poll every second would otherwise build the same regex each time.
const matchers = new Map<string, (path: string) => boolean>()
function matcher(pattern: string): (path: string) => boolean {
  let m = matchers.get(pattern)
  if (!m) {
    if (matchers.size >= 64) matchers.clear()
    m = picomatch(pattern, { dot: false })
    matchers.set(pattern, m)
  }
  return m
}

function expandOne(pattern: string): string[] {
  const scan = picomatch.scan(pattern)
  if (!scan.isGlob) {
    try {
      statSync(pattern)
      return [pattern]
    } catch {
      return []
    }
  }
  const base = scan.base || '.'
  const isMatch = matcher(pattern)
  const depth = scan.isGlobstar ? 8 : scan.glob.split('/').length
  const out: string[] = []
  const walk = (dir: string, level: number) => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      const path = dir.endsWith(sep) ? dir + entry.name : join(dir, entry.name)
      if (isMatch(path) && !entry.isDirectory()) out.push(path)
      if (entry.isDirectory() && level + 1 < depth) walk(path, level + 1)
    }
  }
  walk(base, 0)
  return out
}

/**
 * The existing folders the patterns look in (the static part before the first glob), to watch for
 * device nodes appearing and going.
 */
export function watchDirectories(patterns: readonly string[]): string[] {
  const dirs = new Set<string>()
  for (const pattern of patterns) {
    const scan = picomatch.scan(pattern)
    const dir = scan.isGlob ? scan.base || '.' : dirname(pattern)
    try {
      if (statSync(dir).isDirectory()) dirs.add(dir)
    } catch {
      // not there (yet): the reconciliation check notices when it appears
    }
  }
  return [...dirs].sort()
}
