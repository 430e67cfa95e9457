import { readFileSync, realpathSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { naturalCompare, type DeviceFile } from './devices.js'

export interface CameraGroup {
  id: string
  name: string
  devices: DeviceFile[]
}

function readTrim(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return null
  }
}

/**
 * Groups device nodes into cameras. Under /dev, sysfs tells which nodes belong to one physical
 * device (a UVC webcam has a capture node and a metadata node); other files (test devices
 * named by --device) are each a camera named after the file.
 */
export function groupCameras(
  devices: readonly DeviceFile[],
  sysRoot = '/sys',
  devRoot = '/dev/',
): CameraGroup[] {
  const groups = new Map<string, { name: string | null; nodes: { dev: DeviceFile; index: number }[] }>()
  const loose: CameraGroup[] = []
  for (const dev of devices) {
    const node = basename(dev.real)
    const sysDir = join(sysRoot, 'class', 'video4linux', node)
    const isDevNode = dev.real.startsWith(devRoot)
    let parent: string | null = null
    if (isDevNode) {
      try {
        // The v4l node's "device" link leads to the USB interface (or PCI device) it belongs to.
        parent = realpathSync(join(sysDir, 'device'))
      } catch {
        parent = null
      }
    }
    if (!parent) {
      const name = isDevNode ? (readTrim(join(sysDir, 'name')) ?? node) : basename(dev.path)
      loose.push({ id: dev.path, name, devices: [dev] })
      continue
    }
    // Interfaces of one USB device share the parent directory (e.g. 1-2:1.0 and 1-2:1.1 under 1-2).
    const key = /:\d+\.\d+$/.test(basename(parent)) ? dirname(parent) : parent
    const index = Number(readTrim(join(sysDir, 'index')) ?? '0')
    const group = groups.get(key) ?? { name: null, nodes: [] }
    group.nodes.push({ dev, index: Number.isFinite(index) ? index : 0 })
    groups.set(key, group)
  }
  const grouped: CameraGroup[] = []
  for (const [key, group] of groups) {
    group.nodes.sort((a, b) => a.index - b.index || naturalCompare(a.dev.path, b.dev.path))
    const first = group.nodes[0]!.dev
    const name =
      readTrim(join(sysRoot, 'class', 'video4linux', basename(first.real), 'name')) ?? basename(first.path)
    grouped.push({ id: basename(key), name, devices: group.nodes.map((n) => n.dev) })
  }
  return [...grouped, ...loose].sort((a, b) => naturalCompare(a.devices[0]!.path, b.devices[0]!.path))
}
