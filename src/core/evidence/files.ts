import { createHash } from 'node:crypto'
import { constants, accessSync, statSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { FILE_MODE, errorCode } from '../files.js'

/** A problem with what the person asked for (a missing file, a bad date): nothing was written. */
export class EvidenceInputError extends Error {}

const CHUNK = 1 << 20

/** Reads a file in chunks; returns its SHA-256 (hex) and size. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  const handle = await open(path, 'r')
  const buffer = Buffer.alloc(CHUNK)
  let size = 0
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null)
      if (bytesRead === 0) break
      hash.update(buffer.subarray(0, bytesRead))
      size += bytesRead
    }
  } finally {
    await handle.close()
  }
  return { sha256: hash.digest('hex'), size }
}

/**
 * Copies `from` to a new file `to` (never over an existing one), private to the user, hashing the bytes
 * as they are written: the hash is of the copy itself, whatever happens to the original later.
 */
export async function copyWithHash(from: string, to: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  const source = await open(from, 'r')
  let target: Awaited<ReturnType<typeof open>> | null = null
  const buffer = Buffer.alloc(CHUNK)
  let size = 0
  try {
    target = await open(to, 'wx', FILE_MODE)
    for (;;) {
      const { bytesRead } = await source.read(buffer, 0, CHUNK, null)
      if (bytesRead === 0) break
      const chunk = buffer.subarray(0, bytesRead)
      hash.update(chunk)
      let written = 0
      while (written < bytesRead) written += (await target.write(chunk, written)).bytesWritten
      size += bytesRead
    }
    await target.sync()
  } finally {
    await source.close()
    await target?.close()
  }
  return { sha256: hash.digest('hex'), size }
}

export interface SourceFile {
  path: string
  name: string
  size: number
  modifiedAt: string
}

/** Checks every file before anything is written, so that one bad path leaves the notebook unchanged. */
export function checkSourceFiles(paths: readonly string[]): SourceFile[] {
  const seen = new Set<string>()
  return paths.map((path) => {
    let stat
    try {
      stat = statSync(path)
    } catch (err) {
      const code = errorCode(err)
      if (code === 'ENOENT' || code === 'ENOTDIR')
        throw new EvidenceInputError(`there is no file ${path}; check the name and try again`)
      if (code === 'EACCES') throw new EvidenceInputError(`${path} cannot be read (permission denied)`)
      throw new EvidenceInputError(`${path} cannot be read (${code ?? 'unknown error'})`)
    }
    if (!stat.isFile()) {
      throw new EvidenceInputError(
        `${path} is not a file${stat.isDirectory() ? ' (it is a folder; attach the files in it one by one)' : ''}`,
      )
    }
    try {
      accessSync(path, constants.R_OK)
    } catch {
      throw new EvidenceInputError(`${path} cannot be read (permission denied)`)
    }
    const key = `${stat.dev}:${stat.ino}`
    if (seen.has(key)) throw new EvidenceInputError(`${path} is given twice`)
    seen.add(key)
    return { path, name: basename(path), size: stat.size, modifiedAt: stat.mtime.toISOString() }
  })
}

/**
 * A file name that is safe on every system and in a zip: letters, digits, dot, dash, underscore and
 * space; no leading dot; at most 100 characters, keeping the extension. The original name is kept in
 * the entry and shown in the report.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s_]+/, '')
    .trim()
  const dot = cleaned.lastIndexOf('.')
  const ext = dot > 0 && cleaned.length - dot <= 12 ? cleaned.slice(dot) : ''
  const stem = (ext ? cleaned.slice(0, dot) : cleaned).slice(0, 100 - ext.length).trim()
  return `${stem || 'file'}${ext}`
}
