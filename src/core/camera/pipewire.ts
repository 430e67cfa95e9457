import type { CameraUser } from '../../shared/types.js'

export const MEDIA_BROKERS = new Set(['pipewire', 'wireplumber', 'pipewire-media-session'])

export interface PipeWireCameraStream {
  /** The V4L2 device the source node reads, when PipeWire says (api.v4l2.path / object.path). */
  device: string | null
  sourceName: string | null
  clients: CameraUser[]
}

type Obj = {
  id?: unknown
  type?: unknown
  info?: { state?: unknown; props?: Record<string, unknown> } & Record<string, unknown>
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

function int(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN
  return Number.isInteger(n) && n > 0 ? n : null
}

/**
 * Reads `pw-dump` JSON: the running camera source nodes and, through the links from them, the
 * client applications that consume them. Returns null when the text is not a pw-dump array.
 */
export function parsePwDump(text: string): PipeWireCameraStream[] | null {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return null
  }
  if (!Array.isArray(data)) return null
  const objects = data.filter((o): o is Obj => typeof o === 'object' && o !== null)
  const byId = new Map<number, Obj>()
  for (const o of objects) if (typeof o.id === 'number') byId.set(o.id, o)
  const ofType = (t: string) => objects.filter((o) => o.type === `PipeWire:Interface:${t}`)
  const props = (o: Obj | undefined) => (o?.info?.props ?? {}) as Record<string, unknown>

  const streams: PipeWireCameraStream[] = []
  for (const node of ofType('Node')) {
    const p = props(node)
    if (p['media.class'] !== 'Video/Source' || node.info?.state !== 'running') continue
    const device =
      str(p['api.v4l2.path']) ?? devicePathFromObjectPath(str(p['object.path'])) ?? deviceOfNode(p, byId)
    const clients: CameraUser[] = []
    const seen = new Set<string>()
    for (const link of ofType('Link')) {
      const info = (link.info ?? {}) as Record<string, unknown>
      if (info['output-node-id'] !== node.id) continue
      const consumer = byId.get(Number(info['input-node-id']))
      const clientId = int(props(consumer)['client.id'])
      const client = clientId === null ? undefined : byId.get(clientId)
      if (!client) continue
      const cp = props(client)
      // Only the pid the server saw on the client's socket: application.process.id is what the client
      // says about itself, and any app can claim to be another.
      const pid = int(cp['pipewire.sec.pid'])
      const name =
        str(cp['application.name']) ??
        str(cp['application.process.binary']) ??
        str(props(consumer)['node.name']) ??
        'unknown app'
      const key = `${pid}:${name}`
      if (seen.has(key)) continue
      seen.add(key)
      clients.push({ pid, name, exe: null, evidence: 'pipewire' })
    }
    streams.push({ device, sourceName: str(p['node.description']) ?? str(p['node.name']), clients })
  }
  return streams
}

function devicePathFromObjectPath(objectPath: string | null): string | null {
  // e.g. "v4l2:/dev/video0"
  if (!objectPath) return null
  const i = objectPath.indexOf(':/dev/')
  return i >= 0 ? objectPath.slice(i + 1) : null
}

function deviceOfNode(p: Record<string, unknown>, byId: Map<number, Obj>): string | null {
  const deviceId = int(p['device.id'])
  const device = deviceId === null ? undefined : byId.get(deviceId)
  const dp = (device?.info?.props ?? {}) as Record<string, unknown>
  return (
    str(dp['api.v4l2.path']) ?? str(dp['device.path']) ?? devicePathFromObjectPath(str(dp['object.path']))
  )
}
