import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { naturalCompare, type DeviceFile } from '../camera/devices.js'

/** One microphone as the user thinks of it: an ALSA card's capture nodes, or a lone file. */
export interface MicGroup {
  id: string
  name: string
  /** The ALSA card number, for matching what PipeWire reports about its sources. */
  card: number | null
  devices: DeviceFile[]
}

const CAPTURE_NODE = /^pcmC(\d+)D(\d+)c$/

function readTrim(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim() || null
  } catch {
    return null
  }
}

/**
 * Groups capture nodes by sound card (/dev/snd/pcmC0D0c and pcmC0D2c are both card 0), named by
 * the card's id in sysfs. Other files (test nodes named by --mic-device) are one microphone each.
 */
export function groupCaptureNodes(
  devices: readonly DeviceFile[],
  sysRoot = '/sys',
  devRoot = '/dev/',
): MicGroup[] {
  const cards = new Map<number, MicGroup>()
  const loose: MicGroup[] = []
  for (const dev of devices) {
    const m = CAPTURE_NODE.exec(basename(dev.real))
    if (!m || !dev.real.startsWith(devRoot)) {
      loose.push({ id: dev.path, name: basename(dev.path), card: null, devices: [dev] })
      continue
    }
    const card = Number(m[1])
    const group = cards.get(card) ?? {
      id: `alsa:card${card}`,
      name: readTrim(join(sysRoot, 'class', 'sound', `card${card}`, 'id')) ?? `Sound card ${card}`,
      card,
      devices: [],
    }
    group.devices.push(dev)
    cards.set(card, group)
  }
  return [...cards.values(), ...loose].sort((a, b) => naturalCompare(a.devices[0]!.path, b.devices[0]!.path))
}
