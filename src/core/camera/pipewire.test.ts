import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parsePwDump } from './pipewire.js'

const fixture = readFileSync(
  new URL('../../../tests/fixtures/pipewire/pw-dump-firefox-camera.json', import.meta.url),
  'utf8',
)

describe('parsePwDump', () => {
  it('names the clients of a running camera stream by pipewire.sec.pid (unknown pid when the server did not say)', () => {
    const streams = parsePwDump(fixture)
    expect(streams).toEqual([
      {
        device: '/dev/video0',
        sourceName: 'Integrated Camera (V4L2)',
        clients: [
          { pid: 4240, name: 'Firefox', exe: null, evidence: 'pipewire' },
          // OBS only declares application.process.id: named, but its pid is not trusted.
          { pid: null, name: 'OBS Studio', exe: null, evidence: 'pipewire' },
        ],
      },
    ])
  })

  it('never takes the pid a client declares about itself: without pipewire.sec.pid the pid is unknown', () => {
    const data = JSON.parse(fixture) as { id: number; info?: { props?: Record<string, unknown> } }[]
    for (const o of data) {
      const props = o.info?.props
      if (props && 'pipewire.sec.pid' in props) {
        delete props['pipewire.sec.pid']
        props['application.process.id'] = 1
      }
    }
    const clients = parsePwDump(JSON.stringify(data))![0]!.clients
    expect(clients.map((c) => c.name)).toEqual(['Firefox', 'OBS Studio'])
    expect(clients.map((c) => c.pid)).toEqual([null, null])
  })

  it('ignores suspended cameras (WirePlumber keeps them open while idle)', () => {
    const data = JSON.parse(fixture) as { id: number; info?: { state?: string } }[]
    data.find((o) => o.id === 50)!.info!.state = 'suspended'
    expect(parsePwDump(JSON.stringify(data))).toEqual([])
  })

  it('finds the device through the Device object or object.path when the node lacks api.v4l2.path', () => {
    const data = JSON.parse(fixture) as { id: number; info?: { props?: Record<string, unknown> } }[]
    const props = data.find((o) => o.id === 50)!.info!.props!
    delete props['api.v4l2.path']
    expect(parsePwDump(JSON.stringify(data))![0]!.device).toBe('/dev/video0')
    delete props['object.path']
    expect(parsePwDump(JSON.stringify(data))![0]!.device).toBe('/dev/video0')
  })

  it('reports a running stream with no linked client as having no clients', () => {
    const data = (JSON.parse(fixture) as { type: string }[]).filter(
      (o) => o.type !== 'PipeWire:Interface:Link',
    )
    expect(parsePwDump(JSON.stringify(data))).toEqual([
      { device: '/dev/video0', sourceName: 'Integrated Camera (V4L2)', clients: [] },
    ])
  })

  it.each(['', 'not json', '{"a":1}', 'null', '[1, "x", null]'])('rejects or survives %j', (text) => {
    expect(() => parsePwDump(text)).not.toThrow()
    const result = parsePwDump(text)
    expect(result === null || Array.isArray(result)).toBe(true)
  })
})
