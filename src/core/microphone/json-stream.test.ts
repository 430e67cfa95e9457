import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { JsonValueSplitter } from './json-stream.js'

const monitor = readFileSync(
  new URL('../../../tests/fixtures/pipewire/pw-dump-monitor-mic.txt', import.meta.url),
  'utf8',
)

describe('JsonValueSplitter', () => {
  it('splits a recorded pw-dump --monitor stream into its arrays, however the text is cut', () => {
    const whole = new JsonValueSplitter().push(monitor)
    expect(whole.bad).toBe(0)
    expect(whole.values.length).toBe(17)
    for (const size of [3, 97, 4096]) {
      const s = new JsonValueSplitter()
      const values: unknown[] = []
      for (let i = 0; i < monitor.length; i += size) values.push(...s.push(monitor.slice(i, i + size)).values)
      expect(values).toEqual(whole.values)
    }
  })

  it('is not fooled by brackets, quotes and escapes inside strings', () => {
    const s = new JsonValueSplitter()
    const text = JSON.stringify([{ name: 'evil ] } [ "\\" app' }]) + '\n' + JSON.stringify([1])
    expect(s.push(text.slice(0, 10)).values).toEqual([])
    expect(s.push(text.slice(10)).values).toEqual([[{ name: 'evil ] } [ "\\" app' }], [1]])
  })

  it('counts a broken value and goes on with the next', () => {
    const s = new JsonValueSplitter()
    expect(s.push('noise [1,,2]\n[3]')).toEqual({ values: [[3]], bad: 1 })
  })
})
