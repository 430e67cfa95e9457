import { createHash } from 'node:crypto'
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** Every file and folder under dir with its mode and (for files) its bytes' SHA-256: equal means unchanged. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (!existsSync(dir)) return out
  const walk = (rel: string): void => {
    const path = join(dir, rel)
    const stat = lstatSync(path)
    const mode = (stat.mode & 0o777).toString(8)
    if (stat.isDirectory()) {
      out[rel || '.'] = `dir ${mode}`
      for (const name of readdirSync(path).sort()) walk(rel ? `${rel}/${name}` : name)
    } else {
      out[rel] = `file ${mode} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`
    }
  }
  walk('')
  return out
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex')
