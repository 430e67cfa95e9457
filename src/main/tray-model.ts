// Pure: what the tray shows for a status. tray.ts turns this into Electron objects; nothing here touches Electron,
// so every state -> icon / tooltip / menu decision is unit-tested under Node.
import { menuLabel, shorten, visibleText } from '../shared/escape.js'
import type { StatusView, View } from '../shared/ipc.js'
import { appNames } from '../shared/words.js'

export type TrayIconName = 'camera-off' | 'camera-on' | 'camera-alert' | 'camera-unknown'

/** What a menu item does when chosen; tray.ts maps each to a call on the engine, window or app. */
export type TrayAction =
  | { type: 'remind'; minutes: number }
  | { type: 'snooze' }
  | { type: 'pause'; minutes: number }
  | { type: 'resume' }
  | { type: 'open'; view: View }
  | { type: 'toggle-start-at-login' }
  | { type: 'quit' }

export type TrayMenuItem =
  | { kind: 'label'; label: string }
  | { kind: 'separator' }
  | { kind: 'item'; label: string; action: TrayAction; enabled: boolean }
  | { kind: 'checkbox'; label: string; checked: boolean; action: TrayAction }
  | { kind: 'submenu'; label: string; enabled: boolean; items: TrayMenuItem[] }

export interface TrayModel {
  icon: TrayIconName
  tooltip: string
  menu: TrayMenuItem[]
}

export interface TrayInput {
  /** null until the engine reported its first status. */
  status: StatusView | null
  startAtLogin: boolean
  /** Formats an ISO time for people, e.g. "14:30"; injected so tests do not depend on the locale. */
  formatTime?: (iso: string) => string
}

export const REMIND_MINUTES = [5, 15, 30] as const
export const PAUSE_MINUTES = 60
/** Windows truncates tray tooltips at 127 characters. */
const TOOLTIP_MAX = 127

const defaultFormatTime = (iso: string): string =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })

export function trayIcon(status: StatusView | null): TrayIconName {
  if (!status) return 'camera-unknown'
  const { state } = status.snapshot
  // The camera's real state wins over "paused": a paused guard must not make a live camera look off.
  if (state === 'on') return status.unexpected ? 'camera-alert' : 'camera-on'
  if (state === 'unknown' || status.pausedUntil) return 'camera-unknown'
  return 'camera-off'
}

/** The state in words, with the apps using the camera. */
export function stateLine(status: StatusView | null): string {
  if (!status) return 'Checking the camera…'
  const { state } = status.snapshot
  if (state === 'unknown') return 'Camera state unknown'
  if (state === 'off') return 'Camera is off'
  const who = appNames(status.apps)
  return `Camera is on: ${who}${status.unexpected ? ' (unexpected)' : ''}`
}

/** The tray icon's file for a platform: template images on macOS, 16 px on Windows, 32 px elsewhere. */
export function trayIconFile(icon: TrayIconName, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return `${icon}Template.png`
  return platform === 'win32' ? `${icon}-16.png` : `${icon}-32.png`
}

/** App names are other programs' words: every label is made safe for a menu (see shared/escape.ts). */
function safeLabels(items: TrayMenuItem[]): TrayMenuItem[] {
  return items.map((item): TrayMenuItem => {
    if (item.kind === 'separator') return item
    if (item.kind === 'submenu')
      return { ...item, label: menuLabel(item.label), items: safeLabels(item.items) }
    return { ...item, label: menuLabel(item.label) }
  })
}

export function buildTrayModel({
  status,
  startAtLogin,
  formatTime = defaultFormatTime,
}: TrayInput): TrayModel {
  const line = stateLine(status)
  const cameraOn = status?.snapshot.state === 'on'
  const paused = status?.pausedUntil ?? null
  const notes: string[] = []
  if (paused) notes.push(`Alerts paused until ${formatTime(paused)}`)
  // The engine reports 'until-off' for "snoozed until the camera goes off".
  if (status?.snoozedUntil === 'until-off') notes.push('Reminders snoozed until the camera goes off')
  else if (status?.snoozedUntil) notes.push(`Reminders snoozed until ${formatTime(status.snoozedUntil)}`)
  else if (status?.remindAt) notes.push(`Reminder at ${formatTime(status.remindAt)}`)

  const menu: TrayMenuItem[] = [
    { kind: 'label', label: line },
    ...notes.map((label): TrayMenuItem => ({ kind: 'label', label })),
    { kind: 'separator' },
    {
      kind: 'submenu',
      label: 'Remind me if the camera is still on',
      enabled: cameraOn,
      items: REMIND_MINUTES.map((minutes): TrayMenuItem => ({
        kind: 'item',
        label: `In ${minutes} minutes`,
        action: { type: 'remind', minutes },
        enabled: cameraOn,
      })),
    },
    { kind: 'item', label: 'Snooze reminders', action: { type: 'snooze' }, enabled: cameraOn },
    paused
      ? { kind: 'item', label: 'Resume alerts', action: { type: 'resume' }, enabled: true }
      : {
          kind: 'item',
          label: 'Pause alerts for 1 hour',
          action: { type: 'pause', minutes: PAUSE_MINUTES },
          enabled: true,
        },
    { kind: 'separator' },
    { kind: 'item', label: 'Open guide', action: { type: 'open', view: 'guide' }, enabled: true },
    { kind: 'item', label: 'Activity', action: { type: 'open', view: 'activity' }, enabled: true },
    { kind: 'item', label: 'Settings', action: { type: 'open', view: 'settings' }, enabled: true },
    { kind: 'separator' },
    {
      kind: 'checkbox',
      label: 'Start at login',
      checked: startAtLogin,
      action: { type: 'toggle-start-at-login' },
    },
    { kind: 'item', label: 'Quit', action: { type: 'quit' }, enabled: true },
  ]
  const tooltip = shorten(visibleText(['CamGuard', line, ...notes].join(' — ')), TOOLTIP_MAX)
  return { icon: trayIcon(status), tooltip, menu: safeLabels(menu) }
}
