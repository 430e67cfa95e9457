import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { groupCaptureNodes } from './alsa.js'

describe('groupCaptureNodes', () => {
  it('makes one microphone per sound card, named by its id in sysfs', () => {
    const root = mkdtempSync(join(tmpdir(), 'camguard-alsa-'))
    const dev = join(root, 'dev') + '/'
    const sys = join(root, 'sys')
    mkdirSync(join(sys, 'class/sound/card0'), { recursive: true })
    writeFileSync(join(sys, 'class/sound/card0/id'), 'PCH\n')
    const file = (p: string) => ({ path: p, real: p })
    const nodes = ['snd/pcmC0D0c', 'snd/pcmC0D2c', 'snd/pcmC1D0c'].map((n) => file(dev + n))
    const elsewhere = file(join(root, 'pcmC3D0c'))
    expect(groupCaptureNodes([...nodes, elsewhere], sys, dev)).toEqual([
      { id: 'alsa:card0', name: 'PCH', card: 0, devices: [nodes[0], nodes[1]] },
      { id: 'alsa:card1', name: 'Sound card 1', card: 1, devices: [nodes[2]] },
      { id: elsewhere.path, name: 'pcmC3D0c', card: null, devices: [elsewhere] },
    ])
  })
})
