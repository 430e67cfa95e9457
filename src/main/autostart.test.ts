import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  autostartCommand,
  autostartDir,
  createStartAtLogin,
  desktopEntry,
  linuxAutostart,
  quoteExecArg,
} from './autostart.js'

const root = mkdtempSync(join(tmpdir(), 'camguard-autostart-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Reverses the spec's escaping: string unescape, then Exec unquoting. A small reader for the tests. */
function parseExec(value: string): string[] {
  const unescaped = value.replace(/\\(.)/g, (_m, c: string) =>
    c === 's' ? ' ' : c === 'n' ? '\n' : c === '\\' ? '\\' : `\\${c}`,
  )
  const args: string[] = []
  let cur = ''
  let inQuote = false
  let any = false
  for (let i = 0; i < unescaped.length; i++) {
    const c = unescaped[i]!
    if (inQuote) {
      if (c === '\\') cur += unescaped[++i]
      else if (c === '"') inQuote = false
      else cur += c
    } else if (c === '"') {
      inQuote = true
      any = true
    } else if (c === ' ') {
      if (cur || any) args.push(cur)
      cur = ''
      any = false
    } else cur += c
  }
  if (cur || any) args.push(cur)
  return args.map((a) => a.replace(/%%/g, '%'))
}

describe('desktop entry', () => {
  it('is a valid autostart entry', () => {
    const text = desktopEntry({ command: ['/opt/CamGuard/camguard'] })
    const lines = text.trimEnd().split('\n')
    expect(lines[0]).toBe('[Desktop Entry]')
    const keys = Object.fromEntries(lines.slice(1).map((l) => l.split(/=(.*)/s).slice(0, 2)))
    expect(keys).toMatchObject({
      Type: 'Application',
      Name: 'CamGuard',
      Exec: '/opt/CamGuard/camguard',
      Terminal: 'false',
      'X-GNOME-Autostart-enabled': 'true',
    })
    // Every line is a group header or Key=Value with a valid key, no blank keys, one trailing newline.
    for (const l of lines.slice(1)) expect(l).toMatch(/^[A-Za-z0-9-]+=.*$/)
    expect(text.endsWith('\n')).toBe(true)
    expect(new Set(Object.keys(keys)).size).toBe(lines.length - 1)
  })

  it.each([
    ['/opt/CamGuard/camguard', '/opt/CamGuard/camguard'],
    ['/home/me/My Apps/CamGuard.AppImage', '"/home/me/My Apps/CamGuard.AppImage"'],
    ['/tmp/a"b$c`d\\e', '"/tmp/a\\\\"b\\\\$c\\\\`d\\\\\\\\e"'],
    ['/tmp/100%', '/tmp/100%%'],
    ["/tmp/it's", '"/tmp/it\'s"'],
    ['', '""'],
  ])('quotes %j as %s', (arg, expected) => {
    expect(quoteExecArg(arg)).toBe(expected)
    expect(parseExec(quoteExecArg(arg))).toEqual([arg])
  })

  it('round-trips a whole command through the spec', () => {
    const command = ['/usr/lib/electron/electron', '/home/me/dev dir/camguard', '--flag=$HOME;rm']
    const exec = desktopEntry({ command }).match(/^Exec=(.*)$/m)![1]!
    expect(parseExec(exec)).toEqual(command)
  })

  it('refuses relative programs and control characters', () => {
    expect(() => desktopEntry({ command: ['camguard'] })).toThrow(/absolute/)
    expect(() => quoteExecArg('/a\nb')).toThrow(/control/)
  })
})

describe('autostart file', () => {
  it('lives under an absolute XDG_CONFIG_HOME, else ~/.config', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/x/conf' }, '/home/me')).toBe('/x/conf/autostart')
    expect(autostartDir({ XDG_CONFIG_HOME: 'relative' }, '/home/me')).toBe('/home/me/.config/autostart')
    expect(autostartDir({}, '/home/me')).toBe('/home/me/.config/autostart')
  })

  it('is written and removed', () => {
    const a = linuxAutostart(autostartDir({ XDG_CONFIG_HOME: root }, '/nowhere'))
    expect(a.isEnabled()).toBe(false)
    a.set(true, ['/opt/CamGuard/camguard'])
    expect(a.file).toBe(join(root, 'autostart', 'camguard.desktop'))
    expect(readFileSync(a.file, 'utf8')).toContain('Exec=/opt/CamGuard/camguard\n')
    expect(statSync(a.file).mode & 0o777).toBe(0o644)
    expect(a.isEnabled()).toBe(true)
    a.set(false, [])
    expect(existsSync(a.file)).toBe(false)
    a.set(false, []) // removing twice is fine
  })

  it('runs the AppImage file, not its temporary mount', () => {
    expect(
      autostartCommand({
        execPath: '/tmp/.mount_x/camguard',
        appImage: '/home/me/CamGuard.AppImage',
        isPackaged: true,
        appPath: '',
      }),
    ).toEqual(['/home/me/CamGuard.AppImage'])
    expect(autostartCommand({ execPath: '/opt/CamGuard/camguard', isPackaged: true, appPath: '/x' })).toEqual(
      ['/opt/CamGuard/camguard'],
    )
    expect(autostartCommand({ execPath: '/e/electron', isPackaged: false, appPath: '/src' })).toEqual([
      '/e/electron',
      '/src',
    ])
  })

  it('uses login items on macOS and Windows, the file on Linux, nothing in development', () => {
    const items: boolean[] = []
    const app = {
      setLoginItemSettings: (s: { openAtLogin: boolean }) => items.push(s.openAtLogin),
      getLoginItemSettings: () => ({ openAtLogin: items.at(-1) ?? false }),
    }
    const linux = linuxAutostart(join(root, 'l'))
    const make = (platform: NodeJS.Platform, enabled = true) =>
      createStartAtLogin({ platform, app, linux, command: ['/opt/c'], enabled, log: () => undefined })
    make('darwin').apply(true)
    make('win32').apply(false)
    expect(items).toEqual([true, false])
    make('linux').apply(true)
    expect(make('linux').isEnabled()).toBe(true)
    make('linux', false).apply(false)
    expect(make('linux').isEnabled()).toBe(true)
    make('linux').apply(false)
    expect(existsSync(linux.file)).toBe(false)
  })
})
