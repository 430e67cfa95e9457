// The libc inotify binding against the real kernel.
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  IN,
  describeInotifyErrno,
  inotifyEventNames,
  loadInotify,
  parseInotifyEvents,
  type InotifyApi,
} from './linux.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-ino-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'video0')
  writeFileSync(path, 'x')
  return path
}

function api(): InotifyApi {
  const loaded = loadInotify()
  if (!loaded.ok) throw new Error(loaded.error)
  return loaded.value
}

function instance(inotify: InotifyApi): number {
  const fd = inotify.init()
  cleanups.push(() => inotify.close(fd))
  return fd
}

describe.runIf(process.platform === 'linux')('inotify through libc', () => {
  it('reports an open and a close of a watched file, read when the event loop says so', async () => {
    const inotify = api()
    const path = tempFile()
    const fd = instance(inotify)
    const wd = inotify.addWatch(fd, path, IN.OPEN | IN.CLOSE_NOWRITE)
    const buf = Buffer.alloc(4096)
    expect(inotify.read(fd, buf)).toBe(0) // non-blocking: nothing queued yet

    const names: string[] = []
    const got = new Promise<void>((resolve) => {
      const poll = inotify.whenReadable(fd, () => {
        const n = inotify.read(fd, buf)
        for (const e of parseInotifyEvents(buf, n)) {
          expect(e.wd).toBe(wd)
          names.push(...inotifyEventNames(e.mask))
        }
        if (names.includes('CLOSE_NOWRITE')) {
          poll.close()
          resolve()
        }
      })
    })
    closeSync(openSync(path, 'r'))
    await got
    expect(names).toEqual(['OPEN', 'CLOSE_NOWRITE'])
  })

  it('gives the errno of a failed call in words', () => {
    const inotify = api()
    const fd = instance(inotify)
    let error: unknown
    try {
      inotify.addWatch(fd, '/nonexistent/camguard-video0', IN.OPEN)
    } catch (err) {
      error = err
    }
    expect(error).toMatchObject({ code: 2, message: expect.stringMatching(/no such file/) })
  })

  it('holds no thread of the worker pool: file reads go on while many watches wait', async () => {
    const inotify = api()
    // More waiting watches than libuv has pool threads (4 by default).
    for (let i = 0; i < 8; i++) {
      const fd = instance(inotify)
      inotify.addWatch(fd, tempFile(), IN.OPEN)
      const poll = inotify.whenReadable(fd, () => undefined)
      cleanups.push(() => poll.close())
    }
    const reads = Array.from({ length: 8 }, () => readFile(new URL(import.meta.url)))
    const timeout = new Promise<'stalled'>((r) => {
      const t = setTimeout(() => r('stalled'), 5000)
      cleanups.push(() => clearTimeout(t))
    })
    expect(await Promise.race([Promise.all(reads).then(() => 'read'), timeout])).toBe('read')
  })
})

describe('inotify event records', () => {
  it('splits a buffer into events and cuts names at their NUL padding', () => {
    const buf = Buffer.alloc(64)
    buf.writeInt32LE(3, 0)
    buf.writeUInt32LE(IN.CREATE, 4)
    buf.writeUInt32LE(16, 12) // the kernel pads "video1\0" to 16 bytes
    buf.write('video1', 16)
    buf.writeInt32LE(-1, 32)
    buf.writeUInt32LE(IN.Q_OVERFLOW, 36)
    buf.writeUInt32LE(0, 44)
    expect(parseInotifyEvents(buf, 48)).toEqual([
      { wd: 3, mask: IN.CREATE, name: 'video1' },
      { wd: -1, mask: IN.Q_OVERFLOW, name: '' },
    ])
    expect(inotifyEventNames(IN.CLOSE_NOWRITE | IN.ISDIR)).toEqual(['CLOSE_NOWRITE', 'ISDIR'])
  })

  it('says the watch limit, not a full disk, for ENOSPC', () => {
    expect(describeInotifyErrno('inotify_add_watch', 28)).toMatch(
      /limit of inotify watches.*max_user_watches/,
    )
    expect(describeInotifyErrno('inotify_init1', 24)).toMatch(/max_user_instances/)
  })
})
