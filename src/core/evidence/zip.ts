import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { Zip, ZipDeflate } from 'fflate'
import { FILE_MODE } from '../files.js'
import { listFiles } from './manifest.js'

const CHUNK = 1 << 20
const UNIX = 3

/**
 * Writes a .zip of `dir` (every file under one top folder, `root`) to a new file `zipPath`; never over an
 * existing one. Streams: memory stays at about one chunk whatever the size of the files.
 */
export async function zipFolder(dir: string, zipPath: string, root: string): Promise<void> {
  const out = await open(zipPath, 'wx', FILE_MODE)
  let pending: Uint8Array[] = []
  let failure: Error | null = null
  const zip = new Zip((err, data) => {
    if (err) failure = err
    else pending.push(data)
  })
  const flush = async (): Promise<void> => {
    if (failure) throw failure
    const chunks = pending
    pending = []
    for (const c of chunks) await out.write(c)
  }
  try {
    for (const rel of listFiles(dir)) {
      const path = join(dir, rel)
      const source = await open(path, 'r')
      try {
        const stat = await source.stat()
        const file = new ZipDeflate(`${root}/${rel}`, { level: 6 })
        file.mtime = stat.mtime
        file.os = UNIX
        file.attrs = (0o100000 | FILE_MODE) << 16
        zip.add(file)
        const buffer = Buffer.alloc(CHUNK)
        for (;;) {
          const { bytesRead } = await source.read(buffer, 0, CHUNK, null)
          // fflate keeps a reference to what it is given: hand it its own copy of each chunk.
          file.push(Uint8Array.prototype.slice.call(buffer, 0, bytesRead), bytesRead === 0)
          await flush()
          if (bytesRead === 0) break
        }
      } finally {
        await source.close()
      }
    }
    zip.end()
    await flush()
    await out.sync()
  } finally {
    await out.close()
  }
}
