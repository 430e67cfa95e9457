// What PipeWire says about recording: its objects as `pw-dump` prints them (once, or as a stream of
// changes with --monitor), and from them the capture streams that are actually taking sound from a
// source. Every property is another program's string: read as data, never trusted as a name.

type Props = Record<string, unknown>

export interface PwObject {
  id: number
  type: string
  info: { state?: unknown; props?: Props } & Record<string, unknown>
}

/** An audio source node (a microphone, or a virtual source), as PipeWire names it. */
export interface PipeWireSource {
  nodeId: number
  /** node.name: stable across restarts, used in the device id. */
  name: string
  description: string | null
  /** The ALSA card behind it, when PipeWire says (api.alsa.pcm.card / alsa.card). */
  alsaCard: number | null
}

/** A capture stream that is running and linked to at least one source. */
export interface CaptureStream {
  nodeId: number
  sourceIds: number[]
  /** pipewire.sec.pid: the pid the server saw on the client's socket. null when it did not say. */
  pid: number | null
  /** What the client says it is (application.name and .process.id): a claim, never an identity. */
  declaredName: string | null
  declaredPid: number | null
}

const TYPE = 'PipeWire:Interface:'

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

function int(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN
  return Number.isSafeInteger(n) && n >= 0 ? n : null
}

const pid = (v: unknown): number | null => {
  const n = int(v)
  return n !== null && n > 0 ? n : null
}

/** Source classes: a microphone, a virtual source, a device that both plays and records. */
function isSourceClass(mediaClass: string | null): boolean {
  return mediaClass !== null && (mediaClass.startsWith('Audio/Source') || mediaClass === 'Audio/Duplex')
}

const DEAD_LINK_STATES = new Set(['error', 'unlinked'])

/**
 * PipeWire's objects by id. `apply` takes what pw-dump prints: a full dump, or one --monitor
 * update (changed objects in full; `"info": null` for an object that went away).
 */
export class PipeWireGraph {
  private readonly objects = new Map<number, PwObject>()

  get size(): number {
    return this.objects.size
  }

  /** Applies a parsed pw-dump array; false when it is not one (nothing is changed then). */
  apply(update: unknown): boolean {
    if (!Array.isArray(update)) return false
    for (const item of update) {
      if (typeof item !== 'object' || item === null) continue
      const o = item as { id?: unknown; type?: unknown; info?: unknown }
      const id = int(o.id)
      if (id === null) continue
      if (o.info === null) {
        this.objects.delete(id)
        continue
      }
      if (typeof o.type !== 'string') continue
      const info = typeof o.info === 'object' && o.info !== null ? (o.info as PwObject['info']) : {}
      this.objects.set(id, { id, type: o.type, info })
    }
    return true
  }

  clear(): void {
    this.objects.clear()
  }

  private ofType(t: string): PwObject[] {
    return [...this.objects.values()].filter((o) => o.type === TYPE + t)
  }

  private props(o: PwObject | undefined): Props {
    const p = o?.info.props
    return typeof p === 'object' && p !== null ? p : {}
  }

  sources(): PipeWireSource[] {
    return this.ofType('Node')
      .filter((n) => isSourceClass(str(this.props(n)['media.class'])))
      .map((n) => {
        const p = this.props(n)
        const device = this.objects.get(int(p['device.id']) ?? -1)
        const card =
          int(p['api.alsa.pcm.card']) ?? int(p['alsa.card']) ?? int(this.props(device)['api.alsa.card'])
        return {
          nodeId: n.id,
          name: str(p['node.name']) ?? `node ${n.id}`,
          description: str(p['node.description']) ?? str(p['node.nick']),
          alsaCard: card,
        }
      })
  }

  /** Capture streams that run and take sound from a source: the apps recording now. */
  captureStreams(): CaptureStream[] {
    const sourceIds = new Set(this.sources().map((s) => s.nodeId))
    const links = this.ofType('Link')
    const streams: CaptureStream[] = []
    for (const node of this.ofType('Node')) {
      const p = this.props(node)
      if (str(p['media.class']) !== 'Stream/Input/Audio' || node.info.state !== 'running') continue
      const from = links
        .filter(
          (l) => int(l.info['input-node-id']) === node.id && !DEAD_LINK_STATES.has(String(l.info.state)),
        )
        .map((l) => int(l.info['output-node-id']))
        .filter((id): id is number => id !== null && sourceIds.has(id))
      if (from.length === 0) continue
      const client = this.objects.get(int(p['client.id']) ?? -1)
      const cp = this.props(client)
      streams.push({
        nodeId: node.id,
        sourceIds: [...new Set(from)],
        pid: pid(cp['pipewire.sec.pid']),
        declaredName: str(cp['application.name']) ?? str(p['application.name']) ?? str(p['node.name']),
        declaredPid: pid(cp['application.process.id']) ?? pid(p['application.process.id']),
      })
    }
    return streams
  }
}

/** A whole `pw-dump` text as a graph, or null when it is not a pw-dump array. */
export function graphFromDump(text: string): PipeWireGraph | null {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return null
  }
  const graph = new PipeWireGraph()
  return graph.apply(data) ? graph : null
}
