import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs'
import { DEFAULT_SETTINGS, parseSettingsFile, validateSetting, type Settings } from '../shared/settings.js'
import type { SetSettingResult } from '../shared/ipc.js'
import type { SettingsStore } from './ports.js'
import { SETTINGS_FILE, recoverSettingsFile, settingsPath } from './settings.js'
import { ensureDir, errorMessage } from './files.js'

/**
 * What CamGuard needs of conf and electron-store (electron-store is a conf): both are opened on
 * the same settings.json with the same schema, so the app and the CLI see each other's changes.
 */
export interface ConfLike {
  readonly store: Record<string, unknown>
  set(key: string, value: unknown): void
  clear(): void
  readonly path: string
}

export interface SettingsStoreOptions {
  dir: string
  /** Opens conf/electron-store; called again after a corrupt file was moved aside. */
  open: () => ConfLike
  /** Told when a corrupt file was moved aside (at start or while running). */
  onNotice?: (message: string) => void
  /** Watch the file for changes made by other processes (camguard config set while watch runs). */
  watch?: boolean
}

/** Opens the shared settings, moving a corrupt file aside first so defaults are used and the user told. */
export function openSettingsStore(options: SettingsStoreOptions): SettingsStore & { close(): void } {
  let told = false
  const recover = () => {
    const { notice } = recoverSettingsFile(options.dir)
    if (notice) options.onNotice?.(notice)
    told = notice !== null
  }
  const open = (): ConfLike => {
    try {
      return options.open()
    } catch (err) {
      // Not writable (a read-only disk) or neither readable nor movable: CamGuard still guards, on
      // the file as it is where it can be read, else on defaults, and saving says why it cannot.
      const fallback = unsaved(settingsPath(options.dir), errorMessage(err))
      if (!fallback.readable && !told)
        options.onNotice?.(
          `Settings could not be opened (${errorMessage(err)}); default settings are in use.`,
        )
      return fallback
    }
  }
  // Before conf or electron-store create it with the default mode (0755): the folder holds what the
  // user did with the camera.
  ensureDir(options.dir)
  recover()
  let backend = open()
  const listeners = new Set<(s: Settings) => void>()
  let lastText = ''

  // The engine asks for settings on every check: re-read the file only when it changed (an atomic
  // write gives it a new inode, an edit a new size or time).
  let cache: { key: string; settings: Settings } | null = null
  const fileKey = (): string => {
    try {
      const st = statSync(backend.path)
      return `${st.ino}:${st.size}:${st.mtimeMs}`
    } catch {
      return 'absent'
    }
  }

  function read(): Settings {
    const key = fileKey()
    if (cache && cache.key === key) return cache.settings
    const settings = deepFreeze(readFile())
    cache = { key: fileKey(), settings }
    return settings
  }

  function readFile(): Settings {
    let data: Record<string, unknown>
    try {
      data = backend.store
    } catch (err) {
      // Someone broke the file while we run: move it aside and carry on with defaults.
      recover()
      try {
        backend = open()
        data = backend.store
      } catch {
        options.onNotice?.(`Settings could not be read (${errorMessage(err)}); using defaults.`)
        return { ...DEFAULT_SETTINGS }
      }
    }
    const parsed = parseSettingsFile(data)
    return parsed.ok ? parsed.settings : { ...DEFAULT_SETTINGS }
  }

  function changed(): void {
    const settings = read()
    const text = JSON.stringify(settings)
    if (text === lastText) return
    lastText = text
    for (const l of [...listeners]) l(settings)
  }
  lastText = JSON.stringify(read())

  let watcher: FSWatcher | null = null
  let debounce: ReturnType<typeof setTimeout> | null = null
  if (options.watch) {
    try {
      // Watch the directory, not the file: atomic writes replace the file with a new one.
      watcher = watch(options.dir, { persistent: false }, (_event, filename) => {
        if (filename && filename !== SETTINGS_FILE) return
        if (debounce) clearTimeout(debounce)
        debounce = setTimeout(changed, 50)
      })
      watcher.on('error', () => undefined)
    } catch {
      watcher = null
    }
  }

  return {
    get path() {
      return backend.path
    },
    get: read,
    set(key, value): SetSettingResult {
      const check = validateSetting(key, value)
      if (!check.ok) return check
      try {
        backend.set(key, check.value)
        cache = null
      } catch (err) {
        return {
          ok: false,
          io: true,
          error: `Could not save ${key} to ${backend.path}: ${errorMessage(err)}.`,
        }
      }
      changed()
      return { ok: true, settings: read() }
    },
    reset() {
      try {
        backend.clear()
      } catch {
        // A file that broke since it was opened: move it aside, then start from a fresh one.
        recover()
        backend = open()
        backend.clear()
      }
      cache = null
      changed()
      return read()
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      if (debounce) clearTimeout(debounce)
      watcher?.close()
    },
  }
}

/** The file's settings (or defaults) held in memory when settings.json cannot be opened for writing. */
function unsaved(path: string, why: string): ConfLike & { readable: boolean } {
  const fail = (): never => {
    throw new Error(why)
  }
  let store: Record<string, unknown> = { ...DEFAULT_SETTINGS }
  let readable = false
  try {
    const parsed = parseSettingsFile(JSON.parse(readFileSync(path, 'utf8')))
    if (parsed.ok) {
      store = { ...parsed.extra, ...parsed.settings }
      readable = true
    }
  } catch {
    // unreadable: defaults, and the caller says so
  }
  return { store, path, set: fail, clear: fail, readable }
}

/** Settings are shared by every caller: frozen, so nobody changes them behind the store's back. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}
