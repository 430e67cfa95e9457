// Pure: what the tray shows for a status. tray.ts turns this into Electron objects; nothing here touches Electron,
// so every state -> icon / tooltip / menu decision is unit-tested under Node.
import { menuLabel, shorten, visibleText } from '../shared/escape.js'
import type { StatusView, View } from '../shared/ipc.js'
import type { CameraState, CameraUser, DeviceKind } from '../shared/types.js'
import { appNames, capitalize, clockTime, deviceName, listWords } from '../shared/words.js'

export type TrayIconName =
  'camera-off' | 'camera-on' | 'camera-alert' | 'camera-unknown' | 'mic-on' | 'mic-alert'

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

/** One watched device as the tray shows it. */
export interface DeviceLine {
  kind: DeviceKind
  state: CameraState
  apps: CameraUser[]
  unexpected: boolean
}

/** The camera, and the microphone where it is watched. */
export function deviceLines(status: StatusView): DeviceLine[] {
  const camera: DeviceLine = {
    kind: 'camera',
    state: status.snapshot.state,
    apps: status.apps,
    unexpected: status.snapshot.state === 'on' && status.unexpected,
  }
  const mic = status.snapshot.microphone
  if (!mic) return [camera]
  const session = status.microphone ?? null
  const apps: CameraUser[] = session?.apps ?? []
  if (!session)
    for (const u of mic.devices.flatMap((d) => d.users))
      if (!apps.some((a) => a.pid === u.pid && a.name === u.name)) apps.push(u)
  return [
    camera,
    { kind: 'microphone', state: mic.state, apps, unexpected: mic.state === 'on' && !!session?.unexpected },
  ]
}

/**
 * The most urgent device picks the icon: an unexpected camera, then an unexpected microphone, a live
 * camera, a live microphone. Unknown (either device) is never shown as off, nor is a paused guard.
 */
export function trayIcon(status: StatusView | null): TrayIconName {
  if (!status) return 'camera-unknown'
  const [camera, mic] = deviceLines(status) as [DeviceLine, DeviceLine | undefined]
  // A device's real state wins over "paused": a paused guard must not make a live device look off.
  if (camera.state === 'on' && camera.unexpected) return 'camera-alert'
  if (mic?.state === 'on' && mic.unexpected) return 'mic-alert'
  if (camera.state === 'on') return 'camera-on'
  if (mic?.state === 'on') return 'mic-on'
  if (camera.state === 'unknown' || mic?.state === 'unknown' || status.pausedUntil) return 'camera-unknown'
  return 'camera-off'
}

/** One device's state in words, with the apps using it. */
export function deviceLine(d: DeviceLine): string {
  const word = capitalize(deviceName(d.kind))
  if (d.state === 'unknown') return `${word} state unknown`
  if (d.state === 'off') return `${word} is off`
  return `${word} is on: ${appNames(d.apps)}${d.unexpected ? ' (unexpected)' : ''}`
}

/** The state in words, one line per watched device. */
export function stateLines(status: StatusView | null): string[] {
  if (!status) return ['Checking the camera…']
  return deviceLines(status).map(deviceLine)
}

/** The camera's state in words, with the apps using it. */
export function stateLine(status: StatusView | null): string {
  return stateLines(status)[0]!
}

/** "camera", "microphone" or "camera or microphone": the devices on now (the camera when none is). */
function devicesOn(status: StatusView | null): string {
  const on = status ? deviceLines(status).filter((d) => d.state === 'on') : []
  return on.length ? listWords(on.map((d) => deviceName(d.kind))).replace(' and ', ' or ') : 'camera'
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

export function buildTrayModel({ status, startAtLogin, formatTime = clockTime }: TrayInput): TrayModel {
  const lines = stateLines(status)
  const devices = devicesOn(status)
  // Reminders are for whichever device is on (the engine arms one for each device that is).
  const anyOn = !!status && deviceLines(status).some((d) => d.state === 'on')
  const paused = status?.pausedUntil ?? null
  const notes: string[] = []
  if (paused) notes.push(`Alerts paused until ${formatTime(paused)}`)
  // The engine reports 'until-off' for "snoozed until the device goes off".
  if (status?.snoozedUntil === 'until-off') notes.push(`Reminders snoozed until the ${devices} goes off`)
  else if (status?.snoozedUntil) notes.push(`Reminders snoozed until ${formatTime(status.snoozedUntil)}`)
  else if (status?.remindAt) notes.push(`Reminder at ${formatTime(status.remindAt)}`)

  const menu: TrayMenuItem[] = [
    ...lines.map((label): TrayMenuItem => ({ kind: 'label', label })),
    ...notes.map((label): TrayMenuItem => ({ kind: 'label', label })),
    { kind: 'separator' },
    {
      kind: 'submenu',
      label: `Remind me if the ${devices} is still on`,
      enabled: anyOn,
      items: REMIND_MINUTES.map((minutes): TrayMenuItem => ({
        kind: 'item',
        label: `In ${minutes} minutes`,
        action: { type: 'remind', minutes },
        enabled: anyOn,
      })),
    },
    { kind: 'item', label: 'Snooze reminders', action: { type: 'snooze' }, enabled: anyOn },
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
  const tooltip = shorten(visibleText(['CamGuard', ...lines, ...notes].join(' — ')), TOOLTIP_MAX)
  return { icon: trayIcon(status), tooltip, menu: safeLabels(menu) }
}
