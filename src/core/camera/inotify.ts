// File-change notifications for the Linux detector: inotify in-process (src/core/native/linux.ts),
// one instance per watch, woken by the event loop. Nothing runs outside CamGuard's own process.
import {
  IN,
  inotifyEventNames,
  loadInotify,
  parseInotifyEvents,
  type InotifyApi,
  type InotifyEventName,
} from '../native/linux.js'
import type { Loaded } from '../native/koffi.js'
import { errorMessage } from '../files.js'

export { IN, type InotifyEventName }

export interface FileWatchHandlers {
  /** `events` are inotify names such as OPEN, CLOSE_NOWRITE, DELETE_SELF, CREATE, Q_OVERFLOW. */
  onEvent(path: string, events: readonly InotifyEventName[]): void
  /** The watch ended without stop() (every watched file went away, or reading failed). */
  onExit(reason: string): void
}

export interface FileWatch {
  /** Ends the watch. Safe to call twice. */
  stop(): Promise<void>
}

/** Starts watching `paths` for the events in `mask`; rejects when inotify cannot be used. */
export type FileWatcherFactory = {
  (paths: readonly string[], mask: number, handlers: FileWatchHandlers): Promise<FileWatch>
  /** Whether a watch could be started at all, answered without starting one. */
  available?(): boolean
  /** Why not, when it cannot. */
  unavailableReason?(): string | null
}

// Room for many events per read; one event with the longest name needs 16 + 256 bytes.
const READ_BUFFER_BYTES = 16 * 1024
const ENOENT = 2

/** A FileWatcherFactory on inotify; `api` is the real libc binding unless a test gives another. */
export function createInotifyWatcher(api: Loaded<InotifyApi> = loadInotify()): FileWatcherFactory {
  const factory: FileWatcherFactory = async (paths, mask, handlers) => {
    if (!api.ok) throw new Error(api.error)
    return watch(api.value, paths, mask, handlers)
  }
  factory.available = () => api.ok
  factory.unavailableReason = () => (api.ok ? null : api.error)
  return factory
}

function watch(
  inotify: InotifyApi,
  paths: readonly string[],
  mask: number,
  handlers: FileWatchHandlers,
): FileWatch {
  const fd = inotify.init()
  const byWd = new Map<number, string>()
  try {
    for (const path of paths) {
      try {
        byWd.set(inotify.addWatch(fd, path, mask), path)
      } catch (err) {
        // A node that vanished since the folder was listed is no reason to give up the others.
        if ((err as { code?: unknown }).code !== ENOENT) throw err
      }
    }
    if (byWd.size === 0) throw new Error(`none of ${paths.join(', ')} could be watched: they are gone`)
  } catch (err) {
    inotify.close(fd)
    throw err
  }

  const buf = Buffer.allocUnsafe(READ_BUFFER_BYTES)
  let stopped = false
  let poll: { close(): void } | null = null
  const end = (reason: string | null) => {
    if (stopped) return
    stopped = true
    poll?.close()
    inotify.close(fd)
    if (reason !== null) handlers.onExit(reason)
  }
  const drain = () => {
    while (!stopped) {
      let n: number
      try {
        n = inotify.read(fd, buf)
      } catch (err) {
        return end(`reading inotify events failed: ${errorMessage(err)}`)
      }
      if (n === 0) return
      for (const event of parseInotifyEvents(buf, n)) {
        if (event.mask & IN.Q_OVERFLOW) {
          emit('', ['Q_OVERFLOW']) // events were dropped: the detector checks everything
          continue
        }
        const path = byWd.get(event.wd)
        if (path === undefined) continue
        emit(event.name ? `${path}/${event.name}` : path, inotifyEventNames(event.mask))
        if (event.mask & IN.IGNORED) {
          byWd.delete(event.wd) // the file was deleted or unmounted
          if (byWd.size === 0) return end('every watched file went away')
        }
      }
    }
  }
  const emit = (path: string, names: InotifyEventName[]) => {
    try {
      handlers.onEvent(path, names)
    } catch {
      // A handler's bug must not take the watch down.
    }
  }
  poll = inotify.whenReadable(fd, drain)
  return {
    async stop() {
      end(null)
    },
  }
}
