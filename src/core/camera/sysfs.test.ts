import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { groupCameras } from './sysfs.js'

/** A small sysfs tree on disk: a UVC webcam (capture + metadata node) and a second camera. */
function fakeSystem() {
  const root = mkdtempSync(join(tmpdir(), 'camguard-sysfs-'))
  const dev = join(root, 'dev') + '/'
  const sys = join(root, 'sys')
  mkdirSync(dev, { recursive: true })
  const usb = (port: string, iface: string) => {
    const d = join(sys, 'devices/pci0000:00/0000:00:14.0/usb1', port, `${port}:${iface}`)
    mkdirSync(d, { recursive: true })
    return d
  }
  const node = (n: number, name: string, index: number, device: string | null) => {
    writeFileSync(join(dev, `video${n}`), '')
    const d = join(sys, 'class/video4linux', `video${n}`)
    mkdirSync(d, { recursive: true })
    writeFileSync(join(d, 'name'), name + '\n')
    writeFileSync(join(d, 'index'), `${index}\n`)
    if (device) symlinkSync(device, join(d, 'device'))
  }
  const webcam = usb('1-6', '1.0')
  node(0, 'Integrated Camera: Integrated C', 0, webcam)
  node(1, 'Integrated Camera: Integrated C', 1, webcam)
  node(2, 'USB Webcam', 0, usb('1-2', '1.0'))
  node(3, 'USB Webcam', 1, usb('1-2', '1.0'))
  node(4, 'Orphan without device link', 0, null)
  const files = (ns: number[]) =>
    ns.map((n) => ({ path: join(dev, `video${n}`), real: join(dev, `video${n}`) }))
  return { dev, sys, files }
}

describe('groupCameras', () => {
  it('groups the nodes of one physical device into one camera named from sysfs', () => {
    const { dev, sys, files } = fakeSystem()
    const cameras = groupCameras(files([0, 1, 2, 3]), sys, dev)
    expect(cameras).toHaveLength(2)
    expect(cameras[0]).toMatchObject({ name: 'Integrated Camera: Integrated C', id: '1-6' })
    expect(cameras[0]!.devices.map((d) => d.path)).toEqual([join(dev, 'video0'), join(dev, 'video1')])
    expect(cameras[1]).toMatchObject({ name: 'USB Webcam', id: '1-2' })
  })

  it('keeps a node whose sysfs entry has no device link as its own camera, named from sysfs', () => {
    const { dev, sys, files } = fakeSystem()
    const cameras = groupCameras(files([4]), sys, dev)
    expect(cameras).toEqual([
      { id: join(dev, 'video4'), name: 'Orphan without device link', devices: files([4]) },
    ])
  })

  it('does not fail when sysfs is missing; names fall back to the node', () => {
    const { dev, files } = fakeSystem()
    const cameras = groupCameras(files([0, 2]), '/nonexistent-sys', dev)
    expect(cameras.map((c) => c.name)).toEqual(['video0', 'video2'])
  })

  it('names files outside /dev (test devices) after the file', () => {
    const cameras = groupCameras([{ path: '/tmp/x/video7', real: '/tmp/x/video7' }])
    expect(cameras).toEqual([
      { id: '/tmp/x/video7', name: 'video7', devices: [{ path: '/tmp/x/video7', real: '/tmp/x/video7' }] },
    ])
  })
})
