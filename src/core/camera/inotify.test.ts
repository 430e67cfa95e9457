// The in-process file watcher on the real kernel, and what it does when inotify cannot be had.
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { NativeCallError } from '../native/koffi.js'
import { loadInotify, describeInotifyErrno, type InotifyApi } from '../native/linux.js'
import { IN, createInotifyWatcher, type FileWatch, type InotifyEventName } from './inotify.js'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-watch-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function recorder() {
  const events: { path: string; names: readonly InotifyEventName[] }[] = []
  const exits: string[] = []
  let wake: (() => void) | null = null
  return {
    events,
    exits,
    handlers: {
      onEvent: (path: string, names: readonly InotifyEventName[]) => {
        events.push({ path, names })
        wake?.()
      },
      onExit: (reason: string) => {
        exits.push(reason)
        wake?.()
      },
    },
    async until(test: () => boolean): Promise<void> {
      const deadline = Date.now() + 5000
      while (!test()) {
        if (Date.now() > deadline) throw new Error(`timed out; saw ${JSON.stringify(events)} ${exits}`)
        await new Promise<void>((r) => {
          wake = r
          setTimeout(r, 50)
        })
      }
    },
  }
}

async function started(w: Promise<FileWatch>): Promise<FileWatch> {
  const watch = await w
  cleanups.push(() => watch.stop())
  return watch
}

describe.runIf(process.platform === 'linux')('in-process inotify watcher', () => {
  const watcher = createInotifyWatcher()

  it('is available here without inotify-tools', () => {
    expect(watcher.available?.()).toBe(true)
  })

  it('reports opens and closes of device files, and new files in their folder', async () => {
    const dir = folder()
    const dev = join(dir, 'video0')
    writeFileSync(dev, 'x')
    const files = recorder()
    const dirs = recorder()
    await started(watcher([dev], IN.OPEN | IN.CLOSE_NOWRITE | IN.CLOSE_WRITE, files.handlers))
    await started(watcher([dir], IN.CREATE | IN.DELETE | IN.ONLYDIR, dirs.handlers))

    closeSync(openSync(dev, 'r'))
    await files.until(() => files.events.some((e) => e.names.includes('CLOSE_NOWRITE')))
    expect(files.events.map((e) => [e.path, e.names])).toEqual([
      [dev, ['OPEN']],
      [dev, ['CLOSE_NOWRITE']],
    ])

    writeFileSync(join(dir, 'video1'), 'y')
    await dirs.until(() => dirs.events.length > 0)
    expect(dirs.events[0]).toEqual({ path: join(dir, 'video1'), names: ['CREATE'] })
  })

  it('says the watch ended when the only watched file is deleted', async () => {
    const dir = folder()
    const dev = join(dir, 'video0')
    writeFileSync(dev, 'x')
    const r = recorder()
    await started(watcher([dev], IN.OPEN | IN.DELETE_SELF, r.handlers))
    unlinkSync(dev)
    await r.until(() => r.exits.length > 0)
    expect(r.exits).toEqual(['every watched file went away'])
  })

  it('skips a file that vanished before the watch, and refuses when none is left', async () => {
    const dir = folder()
    const dev = join(dir, 'video0')
    writeFileSync(dev, 'x')
    await started(watcher([dev, join(dir, 'gone')], IN.OPEN, recorder().handlers))
    await expect(watcher([join(dir, 'gone')], IN.OPEN, recorder().handlers)).rejects.toThrow(/gone/)
  })

  it('refuses with the watch limit in words when the kernel says ENOSPC (and closes its instance)', async () => {
    const real = loadInotify()
    if (!real.ok) throw new Error(real.error)
    let closed = 0
    const full: InotifyApi = {
      ...real.value,
      addWatch: () => {
        throw new NativeCallError('inotify_add_watch', 28, describeInotifyErrno('inotify_add_watch', 28))
      },
      close: (fd) => {
        closed++
        real.value.close(fd)
      },
    }
    const dir = folder()
    writeFileSync(join(dir, 'video0'), 'x')
    const limited = createInotifyWatcher({ ok: true, value: full })
    await expect(limited([join(dir, 'video0')], IN.OPEN, recorder().handlers)).rejects.toThrow(
      /limit of inotify watches/,
    )
    expect(closed).toBe(1)
  })
})

describe('a watcher without native inotify', () => {
  it('is unavailable and gives the reason', async () => {
    const none = createInotifyWatcher({
      ok: false,
      error: 'the native bridge (koffi) could not be loaded: x',
    })
    expect(none.available?.()).toBe(false)
    await expect(none(['/dev/video0'], IN.OPEN, recorder().handlers)).rejects.toThrow(/koffi/)
  })
})
