import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { naturalCompare } from './devices.js'

describe('naturalCompare', () => {
  it('orders device paths as people count them', () => {
    const paths = [
      '/dev/video10',
      '/dev/video2',
      '/dev/media0',
      '/dev/video1',
      '/dev/snd/pcmC1D0c',
      '/dev/snd/pcmC0D10c',
      '/dev/snd/pcmC0D2c',
    ]
    expect([...paths].sort(naturalCompare)).toEqual([
      '/dev/media0',
      '/dev/snd/pcmC0D2c',
      '/dev/snd/pcmC0D10c',
      '/dev/snd/pcmC1D0c',
      '/dev/video1',
      '/dev/video2',
      '/dev/video10',
    ])
  })

  it('counts leading zeros as nothing, and still sorts such paths the same way every time', () => {
    expect(['/dev/m04b', '/dev/m4a'].sort(naturalCompare)).toEqual(['/dev/m4a', '/dev/m04b'])
    expect(['/dev/m4', '/dev/m04'].sort(naturalCompare)).toEqual(['/dev/m04', '/dev/m4'])
    expect(['/dev/m04', '/dev/m4'].sort(naturalCompare)).toEqual(['/dev/m04', '/dev/m4'])
  })

  it('agrees with the ICU collator it replaces on ASCII paths of letters, digits and separators', () => {
    const collator = new Intl.Collator('en', { numeric: true })
    const path = fc.stringMatching(/^\/dev\/[a-z]{1,3}(\d{1,3}[a-z]?){0,2}$/)
    fc.assert(
      fc.property(path, path, (a, b) => {
        // Where the collator calls two paths equal (video4, video04), the plain order decides.
        const expected = collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0)
        return Math.sign(naturalCompare(a, b)) === Math.sign(expected)
      }),
      { numRuns: 2000 },
    )
  })
})
