import type { ActivitySession, CameraSnapshot, CameraUser, MonitorEvent } from '../shared/types.js'
import { visibleText } from '../shared/escape.js'
import { NO_APP, appNames, evidenceWords, formatDuration, reasonWords } from '../shared/words.js'

// Every line is passed through visibleText as a whole: names, paths, device names, warnings and
// errors come from other programs, and none of them may act on the terminal (see shared/escape.ts).

export function describeUser(u: CameraUser): string {
  return `${u.name}${u.pid !== null ? ` (pid ${u.pid})` : ''}, ${evidenceWords(u.evidence, 'short')}`
}

export function formatSnapshot(s: CameraSnapshot): string {
  const lines: string[] = []
  if (s.state === 'unknown') {
    lines.push(
      `Camera: UNKNOWN. CamGuard could not tell whether a camera is on: ${s.error ?? 'no reason given'}`,
    )
  } else if (s.state === 'on') {
    const users = s.cameras.flatMap((c) => c.users)
    lines.push(`Camera: ON, used by ${appNames(users)}`)
  } else {
    lines.push(`Camera: off`)
  }
  for (const c of s.cameras) {
    const where = c.devices.join(', ')
    if (c.users.length === 0) lines.push(`  ${c.name} (${where}): not in use`)
    else for (const u of c.users) lines.push(`  ${c.name} (${where}): ${describeUser(u)}`)
  }
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

function eventLine(e: MonitorEvent): string {
  const t = clock(e.at)
  switch (e.type) {
    case 'ready': {
      const n = e.snapshot.cameras.length
      const mode = e.snapshot.mode === 'event' ? 'as soon as a device opens or closes' : 'by polling'
      const state = e.snapshot.state === 'on' ? 'ON' : e.snapshot.state
      return `${t}  Watching ${n} camera${n === 1 ? '' : 's'} (${mode}); the camera is ${state}.${e.snapshot.warnings.map((w) => ` Note: ${w}`).join('')}`
    }
    case 'camera-on':
    case 'apps-changed': {
      const what =
        e.type === 'camera-on' ? (e.resumed ? 'Camera ON again' : 'Camera ON') : 'Camera apps changed'
      const who = e.apps.length ? e.apps.map(describeUser).join('; ') : NO_APP
      const why = e.unexpected
        ? ` UNEXPECTED: ${e.reasons.map((r) => reasonWords(r, 'because')).join('; ')}.`
        : ''
      return `${t}  ${what}: ${who}.${why}`
    }
    case 'still-on':
      return `${t}  Camera still on after ${formatDuration(e.onForMs)}: ${appNames(e.apps)}${e.armed ? ' (the reminder you asked for)' : ''}.`
    case 'microphone-on': {
      const who = e.apps.length ? e.apps.map(describeUser).join('; ') : NO_APP
      const why = e.unexpected
        ? ` UNEXPECTED: ${e.reasons.map((r) => reasonWords(r, 'because', { kind: 'microphone' })).join('; ')}.`
        : ''
      return `${t}  Microphone ON${e.resumed ? ' again' : ''}: ${who}.${why}`
    }
    case 'camera-off':
      return `${t}  Camera off after ${formatDuration(e.durationMs)}.`
    case 'microphone-off':
      return `${t}  Microphone off after ${formatDuration(e.durationMs)}.`
    case 'state-unknown':
      return `${t}  ${e.kind === 'microphone' ? 'Microphone' : 'Camera'} state UNKNOWN: ${e.error}`
  }
}

export function formatSession(s: ActivitySession): string {
  const start = new Date(s.start).toLocaleString('en-GB', { hour12: false })
  const length =
    s.durationMs !== null ? formatDuration(s.durationMs) : s.end === null ? 'still on or interrupted' : '?'
  const flag = s.unexpected
    ? `  UNEXPECTED (${s.reasons.map((r) => reasonWords(r, 'because')).join('; ')})`
    : ''
  return visibleText(`${start}  ${length.padEnd(12)}  ${appNames(s.apps)}${flag}`)
}
