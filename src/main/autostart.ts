// Start at login. macOS and Windows: Electron's login items. Linux: an XDG autostart entry
// ($XDG_CONFIG_HOME/autostart/camguard.desktop) that the app writes and removes itself.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'

export const DESKTOP_FILE_NAME = 'camguard.desktop'

// Desktop Entry spec, "The Exec key": arguments holding any of these must be quoted.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/

/** Quotes one Exec argument (Exec quoting, then the spec's general string escaping of backslashes). */
export function quoteExecArg(arg: string): string {
  // Control characters cannot be represented in an Exec line at all.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(arg))
    throw new Error(`cannot put a control character in an Exec argument: ${JSON.stringify(arg)}`)
  // '%' introduces field codes; a literal one is written '%%'.
  const escaped = arg.replace(/%/g, '%%')
  if (arg !== '' && !RESERVED.test(arg)) return escaped
  // Inside double quotes, backslash-escape ", `, $ and \ ...
  const quoted = `"${escaped.replace(/(["`$\\])/g, '\\$1')}"`
  // ... then, as a string value, every backslash is itself escaped.
  return quoted.replace(/\\/g, '\\\\')
}

/** Escapes a plain string value (Name, Comment) per the spec: no newlines, backslashes doubled. */
function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')
}

export interface DesktopEntryOptions {
  /** The program and its arguments, unquoted. */
  command: string[]
  name?: string
  comment?: string
  icon?: string
}

export function desktopEntry({
  command,
  name = 'CamGuard',
  comment = 'Tells you when your webcam turns on and which app uses it',
  icon = 'camguard',
}: DesktopEntryOptions): string {
  if (command.length === 0 || !isAbsolute(command[0] as string)) {
    throw new Error('the autostart command must start with an absolute program path')
  }
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    `Name=${escapeValue(name)}`,
    `Comment=${escapeValue(comment)}`,
    `Exec=${command.map(quoteExecArg).join(' ')}`,
    `Icon=${escapeValue(icon)}`,
    'Terminal=false',
    'StartupNotify=false',
    'NoDisplay=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

/** $XDG_CONFIG_HOME/autostart (only an absolute XDG_CONFIG_HOME counts, per the Base Directory spec). */
export function autostartDir(env: NodeJS.ProcessEnv, home: string): string {
  const config =
    env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config')
  return join(config, 'autostart')
}

/** What to run at login: the AppImage file itself (its mount point changes every run), else the executable. */
export function autostartCommand(p: {
  execPath: string
  appImage?: string | undefined
  isPackaged: boolean
  appPath: string
}): string[] {
  if (p.appImage) return [p.appImage]
  return p.isPackaged ? [p.execPath] : [p.execPath, p.appPath]
}

export interface LinuxAutostart {
  readonly file: string
  isEnabled(): boolean
  set(enabled: boolean, command: string[]): void
}

export function linuxAutostart(dir: string): LinuxAutostart {
  const file = join(dir, DESKTOP_FILE_NAME)
  return {
    file,
    isEnabled() {
      try {
        return /^X-GNOME-Autostart-enabled=true$/m.test(readFileSync(file, 'utf8'))
      } catch {
        return false
      }
    },
    set(enabled, command) {
      if (!enabled) {
        rmSync(file, { force: true })
        return
      }
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
      // Written whole then renamed, so a session manager never reads half an entry.
      const tmp = `${file}.${process.pid}.tmp`
      writeFileSync(tmp, desktopEntry({ command }), { mode: 0o644 })
      renameSync(tmp, file)
    },
  }
}

export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean }): void
  getLoginItemSettings(): { openAtLogin: boolean }
}

export interface StartAtLogin {
  apply(enabled: boolean): void
  isEnabled(): boolean
}

export function createStartAtLogin(deps: {
  platform: NodeJS.Platform
  app: LoginItemApp
  linux: LinuxAutostart
  command: string[]
  /** False in development: registering the bare electron binary at login would help nobody. */
  enabled: boolean
  log: (message: string) => void
}): StartAtLogin {
  return {
    apply(enabled) {
      if (!deps.enabled) {
        deps.log(`start at login ${enabled ? 'on' : 'off'}: not registered in development`)
        return
      }
      try {
        if (deps.platform === 'linux') deps.linux.set(enabled, deps.command)
        else if (deps.platform === 'darwin' || deps.platform === 'win32') {
          deps.app.setLoginItemSettings({ openAtLogin: enabled })
        }
      } catch (e) {
        deps.log(`could not change start at login: ${String(e)}`)
      }
    },
    isEnabled() {
      if (deps.platform === 'linux') return deps.linux.isEnabled()
      return deps.app.getLoginItemSettings().openAtLogin
    },
  }
}
