import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { JsonValueSplitter } from './json-stream.js'
import { PipeWireGraph, graphFromDump } from './pipewire-graph.js'

// Recorded from a real PipeWire 0.3.65 + WirePlumber with a null source "test-mic" and
// `pw-record --target test-mic` (pid 10594 in the dump, 10969 in the monitor stream).
const fixture = (name: string) =>
  readFileSync(new URL(`../../../tests/fixtures/pipewire/${name}`, import.meta.url), 'utf8')

describe('PipeWireGraph', () => {
  it('finds pw-record taking sound from the source, named by pipewire.sec.pid', () => {
    const g = graphFromDump(fixture('pw-dump-pw-record-mic.json'))!
    expect(g.sources()).toEqual([{ nodeId: 36, name: 'test-mic', description: null, alsaCard: null }])
    expect(g.captureStreams()).toEqual([
      { nodeId: 39, sourceIds: [36], pid: 10594, declaredName: 'pw-cat', declaredPid: 10594 },
    ])
  })

  it('finds nobody recording while PipeWire and WirePlumber sit idle', () => {
    const g = graphFromDump(fixture('pw-dump-idle-mic.json'))!
    expect(g.sources().map((s) => s.name)).toEqual(['test-mic'])
    expect(g.captureStreams()).toEqual([])
  })

  it('follows a recorded --monitor stream: recording starts, runs, and stops', () => {
    const values = new JsonValueSplitter().push(fixture('pw-dump-monitor-mic.txt')).values
    const g = new PipeWireGraph()
    const seen = values.map((v) => {
      g.apply(v)
      return g.captureStreams().map((s) => s.pid)
    })
    // The stream exists (suspended, then linking) before it runs: only "running" counts.
    expect(seen.slice(0, 6)).toEqual([[], [], [], [], [], []])
    expect(seen[6]).toEqual([10969])
    // Unlinked and removed: off again, and the source left idle.
    expect(seen.slice(7)).toEqual(Array(10).fill([]))
  })

  it('never takes the pid a client declares about itself', () => {
    const data = JSON.parse(fixture('pw-dump-pw-record-mic.json')) as {
      id: number
      info: { props: Record<string, unknown> }
    }[]
    const client = data.find((o) => o.id === 35)!
    delete client.info.props['pipewire.sec.pid']
    client.info.props['application.process.id'] = 1
    client.info.props['application.name'] = 'innocent'
    const g = new PipeWireGraph()
    g.apply(data)
    expect(g.captureStreams()).toEqual([
      { nodeId: 39, sourceIds: [36], pid: null, declaredName: 'innocent', declaredPid: 1 },
    ])
  })

  it('does not count a stream recording what a sink plays (not the microphone)', () => {
    const data = JSON.parse(fixture('pw-dump-pw-record-mic.json')) as {
      id: number
      info: { props: Record<string, unknown> }
    }[]
    data.find((o) => o.id === 36)!.info.props['media.class'] = 'Audio/Sink'
    expect(graphFromDump(JSON.stringify(data))!.captureStreams()).toEqual([])
  })

  it('ignores objects that are not PipeWire objects, and refuses text that is not a dump', () => {
    const g = new PipeWireGraph()
    expect(g.apply({ id: 1 })).toBe(false)
    expect(g.apply([null, 3, { id: 'x' }, { id: 5, info: {} }])).toBe(true)
    expect(g.size).toBe(0)
    expect(graphFromDump('not json')).toBeNull()
  })
})
