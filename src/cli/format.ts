import type {
  ActivitySession,
  Camera,
  CameraSnapshot,
  CameraState,
  CameraUser,
  DeviceKind,
  MonitorEvent,
} from '../shared/types.js'
import { visibleText } from '../shared/escape.js'
import {
  NO_APP,
  appNames,
  capitalize,
  deviceName,
  evidenceWords,
  formatDuration,
  reasonWords,
} from '../shared/words.js'

// Every line is passed through visibleText as a whole: names, paths, device names, warnings and
// errors come from other programs, and none of them may act on the terminal (see shared/escape.ts).

export function describeUser(u: CameraUser, kind: DeviceKind = 'camera'): string {
  return `${u.name}${u.pid !== null ? ` (pid ${u.pid})` : ''}, ${evidenceWords(u.evidence, 'short', kind)}`
}

/** "Camera: ON, used by zoom", then a line for each device and each app using it. */
function deviceLines(kind: DeviceKind, state: CameraState, devices: Camera[], error?: string): string[] {
  const word = capitalize(deviceName(kind))
  const lines: string[] = []
  if (state === 'unknown') {
    lines.push(
      `${word}: UNKNOWN. CamGuard could not tell whether a ${deviceName(kind)} is on: ${error ?? 'no reason given'}`,
    )
  } else if (state === 'on') {
    lines.push(`${word}: ON, used by ${appNames(devices.flatMap((c) => c.users))}`)
  } else {
    lines.push(`${word}: off`)
  }
  for (const c of devices) {
    const where = c.devices.join(', ')
    // A PipeWire capture stream has no device file: its name alone.
    const name = where && where !== c.name ? `${c.name} (${where})` : c.name
    if (c.users.length === 0) lines.push(`  ${name}: not in use`)
    else for (const u of c.users) lines.push(`  ${name}: ${describeUser(u, kind)}`)
  }
  return lines
}

export function formatSnapshot(s: CameraSnapshot): string {
  const lines = deviceLines('camera', s.state, s.cameras, s.error)
  const mic = s.microphone
  if (mic) lines.push(...deviceLines('microphone', mic.state, mic.devices, mic.error))
  for (const w of s.warnings) lines.push(`Note: ${w}`)
  return lines.map(visibleText).join('\n')
}

function clock(at: string): string {
  const d = new Date(at)
  return Number.isNaN(d.getTime()) ? at : d.toLocaleTimeString('en-GB', { hour12: false })
}

/** One readable line per event for `camguard watch`: time, what happened, which app, why. */
export function formatEvent(e: MonitorEvent): string {
  return visibleText(eventLine(e))
}

const stateWord = (state: CameraState) => (state === 'on' ? 'ON' : state)

function readyLine(s: CameraSnapshot): string {
  const n = s.cameras.length
  const mode = s.mode === 'event' ? 'as soon as a device opens or closes' : 'by polling'
  const mic = s.microphone ? ` and the microphone is ${stateWord(s.microphone.state)}` : ''
  const notes = s.warnings.map((w) => ` Note: ${w}`).join('')
  return `Watching ${n} camera${n === 1 ? '' : 's'} (${mode}); the camera is ${stateWord(s.state)}${mic}.${notes}`
}

function eventLine(e: MonitorEvent): string {
  const t = clock(e.at)
  if (e.type === 'ready') return `${t}  ${readyLine(e.snapshot)}`
  const kind = e.kind
  const Word = capitalize(deviceName(kind))
  switch (e.type) {
    case 'camera-on':
    case 'microphone-on':
    case 'apps-changed': {
      const what =
        e.type === 'apps-changed' ? `${Word} apps changed` : `${Word} ON${e.resumed ? ' again' : ''}`
      const who = e.apps.length ? e.apps.map((u) => describeUser(u, kind)).join('; ') : NO_APP
      const why = e.unexpected
        ? ` UNEXPECTED: ${e.reasons.map((r) => reasonWords(r, 'because', { kind })).join('; ')}.`
        : ''
      return `${t}  ${what}: ${who}.${why}`
    }
    case 'still-on':
      return `${t}  ${Word} still on after ${formatDuration(e.onForMs)}: ${appNames(e.apps)}${e.armed ? ' (the reminder you asked for)' : ''}.`
    case 'camera-off':
    case 'microphone-off':
      return `${t}  ${Word} off after ${formatDuration(e.durationMs)}.`
    case 'state-unknown':
      return `${t}  ${Word} state UNKNOWN: ${e.error}`
  }
}

export function formatSession(s: ActivitySession): string {
  const kind = s.kind ?? 'camera'
  const start = new Date(s.start).toLocaleString('en-GB', { hour12: false })
  const length =
    s.durationMs !== null ? formatDuration(s.durationMs) : s.end === null ? 'still on or interrupted' : '?'
  const flag = s.unexpected
    ? `  UNEXPECTED (${s.reasons.map((r) => reasonWords(r, 'because', { kind })).join('; ')})`
    : ''
  const device = capitalize(deviceName(kind)).padEnd(10)
  return visibleText(`${start}  ${device}  ${length.padEnd(12)}  ${appNames(s.apps)}${flag}`)
}
