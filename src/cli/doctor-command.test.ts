import { describe, expect, it } from 'vitest'
import { fakeMac, fakeRunner, fakeStreams } from '../../tests/support/native-fakes.js'
import { createDarwinDetector } from '../core/camera/darwin.js'
import { runDoctor } from '../core/doctor.js'
import { formatDoctor } from './doctor-command.js'

describe('doctor in the terminal', () => {
  it('writes out the control characters a device name carries instead of sending them', async () => {
    const mac = fakeMac({
      devices: [
        { id: 9, uid: 'u\u202e', name: 'Cam\u001b[2J\nfake line', transport: 'usb ', running: false },
      ],
    })
    const detector = createDarwinDetector({
      runner: fakeRunner().runner,
      spawnLines: fakeStreams().spawnLines,
      native: mac.loaded,
      administrator: true,
    })
    const text = formatDoctor(await runDoctor({ detector, platform: 'darwin', version: '1.0.0' }))
    expect(text).toContain('Cam\\x1b[2J\\x0afake line: not in use [u\\u202e]')
    for (const raw of ['\u001b', '\u202e']) expect(text).not.toContain(raw)
    expect(text).toMatch(/Detection works here: yes/)
  })
})
