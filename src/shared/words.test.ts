// The words every face uses (terminal, notifications, tray, window, evidence report), tested once here.
import { describe, expect, it } from 'vitest'
import type { CameraUser } from './types.js'
import {
  ACTION_LABELS,
  NO_APP,
  appNames,
  capitalize,
  clockTime,
  evidenceWords,
  formatDuration,
  listWords,
  plural,
  reasonWords,
  reasonsBecause,
  uniqueAppNames,
} from './words.js'

const MIN = 60_000
const app = (name: string, pid: number | null = 1): CameraUser => ({ pid, name, exe: null, evidence: 'open' })

describe('durations', () => {
  it('says less than a minute for anything under one, never a count of seconds', () => {
    expect(formatDuration(0)).toBe('less than a minute')
    expect(formatDuration(1000)).toBe('less than a minute')
    expect(formatDuration(59_999)).toBe('less than a minute')
  })

  it('rounds to the nearest minute, so a reminder a tick early still says the whole minutes', () => {
    expect(formatDuration(MIN)).toBe('1 minute')
    expect(formatDuration(15 * MIN - 400)).toBe('15 minutes')
    expect(formatDuration(12 * MIN + 29_000)).toBe('12 minutes')
    expect(formatDuration(12 * MIN + 31_000)).toBe('13 minutes')
  })

  it('gives hours and minutes, leaving out a zero part', () => {
    expect(formatDuration(60 * MIN)).toBe('1 hour')
    expect(formatDuration(61 * MIN)).toBe('1 hour 1 minute')
    expect(formatDuration(125 * MIN)).toBe('2 hours 5 minutes')
    expect(formatDuration(59 * MIN + 45_000)).toBe('1 hour')
  })

  it('says the length is unknown rather than inventing one', () => {
    expect(formatDuration(null)).toBe('unknown length')
    expect(formatDuration(undefined)).toBe('unknown length')
    expect(formatDuration(-5)).toBe('unknown length')
    expect(formatDuration(Number.NaN)).toBe('unknown length')
  })
})

describe('clock times', () => {
  it('gives the time of day to the minute, never seconds', () => {
    const at = new Date(2026, 10, 28, 14, 5, 42)
    expect(clockTime(at.getTime())).toMatch(/^(14|0?2):05( [AP]M)?$/)
    expect(clockTime(at.toISOString())).toBe(clockTime(at.getTime()))
  })

  it('shows a time it cannot read as it is', () => {
    expect(clockTime('soon')).toBe('soon')
  })
})

describe('app names', () => {
  it('names each app once, in the order seen', () => {
    expect(uniqueAppNames([app('b'), app('a'), app('b', 2)])).toEqual(['b', 'a'])
    expect(appNames([app('a'), app('a', 2)])).toBe('a')
    expect(appNames([app('a'), app('b')])).toBe('a and b')
    expect(appNames([app('a'), app('b'), app('c')])).toBe('a, b and c')
  })

  it('says plainly when nobody could be named', () => {
    expect(appNames([])).toBe(NO_APP)
    expect(capitalize(NO_APP)).toBe('An app that could not be named')
  })

  it('counts with the right noun', () => {
    expect(plural(1, 'file')).toBe('1 file')
    expect(plural(0, 'file')).toBe('0 files')
    expect(plural(2, 'entry', 'entries')).toBe('2 entries')
  })

  it('lists words the way a sentence does', () => {
    expect(listWords([])).toBe('')
    expect(listWords(['x'])).toBe('x')
    expect(listWords(['x', 'y', 'z'])).toBe('x, y and z')
  })
})

describe('reasons', () => {
  it('has a clause, a sentence and a label for every reason', () => {
    for (const r of ['untrusted-app', 'no-app', 'user-away', 'quiet-hours']) {
      for (const form of ['because', 'sentence', 'short'] as const) {
        const text = reasonWords(r, form)
        expect(text).not.toBe(r)
        expect(text.length).toBeGreaterThan(5)
        // A sentence stands alone; the clause and the label go inside another sentence.
        if (form === 'sentence') expect(text).toMatch(/^[A-Z].*\.$/)
        else expect(text).not.toMatch(/\.$/)
      }
    }
  })

  it('joins several reasons into one clause', () => {
    expect(reasonsBecause(['untrusted-app', 'quiet-hours'])).toBe(
      'it is not an app you have marked as trusted and it is during your quiet hours',
    )
  })

  it('names the device where the words depend on it', () => {
    expect(reasonWords('quiet-hours', 'sentence', { kind: 'microphone' })).toBe(
      'The microphone turned on during your quiet hours.',
    )
    expect(reasonWords('quiet-hours', 'sentence')).toBe('The camera turned on during your quiet hours.')
  })

  it('shows a reason this version does not know as it is (a newer history file)', () => {
    expect(reasonWords('some-new-reason', 'short')).toBe('some-new-reason')
  })
})

describe('evidence', () => {
  it('says how an app uses the camera or the microphone', () => {
    expect(evidenceWords('streaming', 'short')).toBe('streaming video')
    expect(evidenceWords('open', 'short', 'microphone')).toBe('has the microphone open')
    expect(evidenceWords('open', 'sentence')).toBe('It has the camera open.')
    expect(evidenceWords('streaming', 'sentence', 'microphone')).toBe(
      'It is receiving sound from the microphone.',
    )
  })

  it('names an unknown kind of evidence as it is', () => {
    expect(evidenceWords('x-ray', 'sentence')).toBe('Seen by: x-ray.')
    expect(evidenceWords('x-ray', 'short')).toBe('seen by x-ray')
  })
})

describe('action labels', () => {
  it('labels every alert action', () => {
    expect(Object.values(ACTION_LABELS)).toEqual(['Trust', 'Stop app', 'Remind me in 15 min', 'Open guide'])
  })
})
