import { existsSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ACTING, hostileText } from '../../tests/support/hostile.js'
import type { CameraUser } from '../shared/types.js'
import { statusView } from '../../tests/support/status.js'
import { buildTrayModel, trayIcon, trayIconFile, type TrayIconName, type TrayMenuItem } from './tray-model.js'

const zoom: CameraUser = { pid: 42, name: 'zoom', exe: '/usr/bin/zoom', evidence: 'streaming' }
const status = statusView
const fmt = (iso: string) => iso.slice(11, 16)
const labels = (items: TrayMenuItem[]) =>
  items.map((i) => (i.kind === 'separator' ? '---' : i.kind === 'submenu' ? `${i.label} >` : i.label))
const find = (items: TrayMenuItem[], label: string) => {
  const item = items.find((i) => i.kind !== 'separator' && i.label === label)
  if (!item) throw new Error(`no item ${label}`)
  return item
}

describe('tray model', () => {
  it('picks one icon per state, and a paused guard never looks "off"', () => {
    expect(trayIcon(null)).toBe('camera-unknown')
    expect(trayIcon(status())).toBe('camera-off')
    expect(trayIcon(status({ state: 'on', apps: [zoom] }))).toBe('camera-on')
    expect(trayIcon(status({ state: 'on', apps: [zoom], unexpected: true }))).toBe('camera-alert')
    expect(trayIcon(status({ state: 'unknown' }))).toBe('camera-unknown')
    expect(trayIcon(status({ pausedUntil: '2026-01-01T11:00:00.000Z' }))).toBe('camera-unknown')
    // A live camera still shows while alerts are paused.
    expect(trayIcon(status({ state: 'on', unexpected: true, pausedUntil: '2026-01-01T11:00:00.000Z' }))).toBe(
      'camera-alert',
    )
  })

  it('shows the microphone: its own icon when only it is on, the camera first when both are, unknown never off', () => {
    const arecord: CameraUser = { pid: 77, name: 'arecord', exe: '/usr/bin/arecord', evidence: 'streaming' }
    const withMic = (state: 'on' | 'off' | 'unknown', cameraOver: Parameters<typeof status>[0] = {}) => {
      const s = status(cameraOver)
      const devices = [
        {
          id: 'hw0',
          name: 'pcmC0D0c',
          devices: [],
          inUse: state === 'on',
          users: state === 'on' ? [arecord] : [],
        },
      ]
      return { ...s, snapshot: { ...s.snapshot, microphone: { state, devices } } }
    }
    expect(trayIcon(withMic('off'))).toBe('camera-off')
    expect(trayIcon(withMic('on'))).toBe('mic-on')
    expect(trayIcon(withMic('unknown'))).toBe('camera-unknown')
    expect(trayIcon(withMic('on', { state: 'on', apps: [zoom] }))).toBe('camera-on')
    expect(trayIcon(withMic('on', { state: 'on', apps: [zoom], unexpected: true }))).toBe('camera-alert')
    // The engine's microphone session says whether it was expected.
    const session = { since: '2026-01-01T10:00:00.000Z', apps: [arecord], unexpected: true, reasons: [] }
    const alert = { ...withMic('on'), microphone: session }
    expect(trayIcon(alert)).toBe('mic-alert')
    expect(trayIcon({ ...alert, microphone: { ...session, unexpected: false } })).toBe('mic-on')
    expect(trayIcon({ ...withMic('on', { state: 'on', apps: [zoom] }), microphone: session })).toBe(
      'mic-alert',
    )
    const alertMenu = buildTrayModel({ status: alert, startAtLogin: true }).menu
    expect(labels(alertMenu)[1]).toBe('Microphone is on: arecord (unexpected)')
    // Reminders are offered for the microphone alone too.
    expect(find(alertMenu, 'Remind me if the microphone is still on')).toMatchObject({ enabled: true })
    expect(find(alertMenu, 'Snooze reminders')).toMatchObject({ enabled: true })
    const both = buildTrayModel({
      status: {
        ...withMic('on', { state: 'on', apps: [zoom], snoozedUntil: 'until-off' }),
        microphone: session,
      },
      startAtLogin: true,
    }).menu
    expect(labels(both)).toContain('Remind me if the camera or microphone is still on >')
    expect(labels(both)).toContain('Reminders snoozed until the camera or microphone goes off')

    const m = buildTrayModel({ status: withMic('on'), startAtLogin: true, formatTime: fmt })
    expect(labels(m.menu).slice(0, 3)).toEqual(['Camera is off', 'Microphone is on: arecord', '---'])
    expect(m.tooltip).toBe('CamGuard — Camera is off — Microphone is on: arecord')
    const unknown = buildTrayModel({ status: withMic('unknown'), startAtLogin: true })
    expect(labels(unknown.menu)[1]).toBe('Microphone state unknown')
    // Not watched (watchMicrophone off): no microphone line at all.
    expect(labels(buildTrayModel({ status: status(), startAtLogin: true }).menu)[1]).toBe('---')
  })

  it('uses template images on macOS and sized PNGs elsewhere', () => {
    expect(trayIconFile('camera-on', 'darwin')).toBe('camera-onTemplate.png')
    expect(trayIconFile('camera-on', 'win32')).toBe('camera-on-16.png')
    expect(trayIconFile('camera-on', 'linux')).toBe('camera-on-32.png')
    // Every icon the model can pick is drawn (scripts/make-icons.mjs) for every platform.
    const names: TrayIconName[] = [
      'camera-off',
      'camera-on',
      'camera-alert',
      'camera-unknown',
      'mic-on',
      'mic-alert',
    ]
    for (const name of names)
      for (const platform of ['darwin', 'win32', 'linux'] as const)
        expect(
          existsSync(new URL(`../../resources/icons/${trayIconFile(name, platform)}`, import.meta.url)),
        ).toBe(true)
  })

  it('always has the full menu, with the state in words first', () => {
    const m = buildTrayModel({ status: status(), startAtLogin: true, formatTime: fmt })
    expect(labels(m.menu)).toEqual([
      'Camera is off',
      '---',
      'Remind me if the camera is still on >',
      'Snooze reminders',
      'Pause alerts for 1 hour',
      '---',
      'Open guide',
      'Activity',
      'Settings',
      '---',
      'Start at login',
      'Quit',
    ])
    expect(m.tooltip).toBe('CamGuard — Camera is off')
    expect(find(m.menu, 'Start at login')).toMatchObject({ kind: 'checkbox', checked: true })
    // Reminders make sense only while the camera is on.
    expect(find(m.menu, 'Snooze reminders')).toMatchObject({ enabled: false })
  })

  it('names the apps and offers reminders when the camera is on', () => {
    const m = buildTrayModel({
      status: status({ state: 'on', apps: [zoom, { ...zoom, pid: 43 }], unexpected: true }),
      startAtLogin: false,
      formatTime: fmt,
    })
    expect(m.menu[0]).toEqual({ kind: 'label', label: 'Camera is on: zoom (unexpected)' })
    expect(m.tooltip).toBe('CamGuard — Camera is on: zoom (unexpected)')
    const remind = find(m.menu, 'Remind me if the camera is still on')
    expect(remind.kind === 'submenu' && remind.items.map((i) => i.kind === 'item' && i.action)).toEqual([
      { type: 'remind', minutes: 5 },
      { type: 'remind', minutes: 15 },
      { type: 'remind', minutes: 30 },
    ])
    expect(find(m.menu, 'Snooze reminders')).toMatchObject({ enabled: true, action: { type: 'snooze' } })
    expect(find(m.menu, 'Start at login')).toMatchObject({ checked: false })
  })

  it('says when nobody could be named', () => {
    const m = buildTrayModel({ status: status({ state: 'on' }), startAtLogin: true })
    expect(m.menu[0]).toMatchObject({ label: 'Camera is on: an app that could not be named' })
  })

  it('offers "Resume alerts" while paused and says until when', () => {
    const m = buildTrayModel({
      status: status({ pausedUntil: '2026-01-01T11:00:00.000Z' }),
      startAtLogin: true,
      formatTime: fmt,
    })
    expect(labels(m.menu)).toContain('Alerts paused until 11:00')
    expect(labels(m.menu)).not.toContain('Pause alerts for 1 hour')
    expect(find(m.menu, 'Resume alerts')).toMatchObject({ action: { type: 'resume' } })
    expect(m.tooltip).toContain('Alerts paused until 11:00')
  })

  it('says when reminders are snoozed or armed', () => {
    const on = { state: 'on' as const, apps: [zoom] }
    const a = buildTrayModel({
      status: status({ ...on, snoozedUntil: 'until-off' }),
      startAtLogin: true,
      formatTime: fmt,
    })
    expect(labels(a.menu)).toContain('Reminders snoozed until the camera goes off')
    const b = buildTrayModel({
      status: status({ ...on, remindAt: '2026-01-01T10:15:00.000Z' }),
      startAtLogin: true,
      formatTime: fmt,
    })
    expect(labels(b.menu)).toContain('Reminder at 10:15')
  })

  it('keeps the tooltip within what Windows shows', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...zoom, pid: i, name: `application-${i}` }))
    const m = buildTrayModel({ status: status({ state: 'on', apps: many }), startAtLogin: true })
    expect(m.tooltip.length).toBeLessThanOrEqual(127)
  })

  it('maps the window items to their views and Quit to quit', () => {
    const m = buildTrayModel({ status: null, startAtLogin: true })
    expect(m.menu[0]).toMatchObject({ label: 'Checking the camera…' })
    expect(find(m.menu, 'Open guide')).toMatchObject({ action: { type: 'open', view: 'guide' } })
    expect(find(m.menu, 'Activity')).toMatchObject({ action: { type: 'open', view: 'activity' } })
    expect(find(m.menu, 'Settings')).toMatchObject({ action: { type: 'open', view: 'settings' } })
    expect(find(m.menu, 'Quit')).toMatchObject({ action: { type: 'quit' } })
    expect(find(m.menu, 'Pause alerts for 1 hour')).toMatchObject({ action: { type: 'pause', minutes: 60 } })
  })

  it('doubles & in menu labels and writes out control and bidi characters; the tooltip stays short', () => {
    const odd: CameraUser = { pid: 7, name: 'Tom & Jerry\u202e\x1b[2J', exe: null, evidence: 'open' }
    const m = buildTrayModel({
      status: status({ state: 'on', apps: [odd] }),
      startAtLogin: false,
      formatTime: fmt,
    })
    expect(m.menu[0]).toEqual({ kind: 'label', label: 'Camera is on: Tom && Jerry\\u202e\\x1b[2J' })
    expect(m.tooltip).toBe('CamGuard — Camera is on: Tom & Jerry\\u202e\\x1b[2J')
    const long: CameraUser = { pid: 7, name: '📷'.repeat(200), exe: null, evidence: 'open' }
    const t = buildTrayModel({ status: status({ state: 'on', apps: [long] }), startAtLogin: false }).tooltip
    expect([...t]).toHaveLength(127)
    expect(t).not.toMatch(/[\ud800-\udbff]…$/) // never half a character before the ellipsis
  })

  it('for any app name, no label has a lone & or a control or bidi character', () => {
    fc.assert(
      fc.property(hostileText, (name) => {
        const app: CameraUser = { pid: 7, name, exe: null, evidence: 'open' }
        const m = buildTrayModel({ status: status({ state: 'on', apps: [app] }), startAtLogin: false })
        for (const item of m.menu) {
          if (item.kind === 'separator') continue
          expect(item.label.replace(/&&/g, '')).not.toContain('&')
          expect(item.label).not.toMatch(ACTING)
        }
        expect(m.tooltip).not.toMatch(ACTING)
      }),
    )
  })
})
