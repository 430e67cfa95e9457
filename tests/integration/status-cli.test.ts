import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CameraSnapshot } from '../../src/shared/types.js'
import { fuser, makeDevice, runCli, startHolder, type Holder } from '../support/processes.js'

// The real engine against the real /proc: processes that really open and map files.

const holders: Holder[] = []
afterEach(async () => {
  await Promise.all(holders.splice(0).map((h) => h.stop()))
})

async function status(pattern: string): Promise<CameraSnapshot> {
  const dataDir = mkdtempSync(join(tmpdir(), 'camguard-data-'))
  const result = await runCli(['status', '--json', '--device', pattern], { CAMGUARD_DATA_DIR: dataDir })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  rmSync(dataDir, { recursive: true, force: true })
  return JSON.parse(result.stdout) as CameraSnapshot
}

describe('camguard status on the real /proc', () => {
  it('says off when nobody holds the device', async () => {
    const { pattern, device } = makeDevice()
    const s = await status(pattern)
    expect(s.state).toBe('off')
    expect(s.cameras).toEqual([{ id: device, name: 'video0', devices: [device], inUse: false, users: [] }])
  })

  it('names a process that holds the device open, with evidence "open"', async () => {
    const { pattern, device } = makeDevice()
    const h = await startHolder(device, 'open')
    holders.push(h)
    const s = await status(pattern)
    expect(s.state).toBe('on')
    expect(s.cameras[0]!.users).toEqual([
      { pid: h.pid, name: 'python3', exe: expect.stringMatching(/python3/), evidence: 'open' },
    ])
  })

  it('says "streaming" for a process that also maps it, and off again after it exits', async () => {
    const { pattern, device } = makeDevice()
    const h = await startHolder(device, 'map')
    const s = await status(pattern)
    expect(s.cameras[0]!.users).toMatchObject([{ pid: h.pid, evidence: 'streaming' }])
    await h.stop()
    expect((await status(pattern)).state).toBe('off')
  })

  it('leaves the state off for an idle media broker that only holds the device open', async () => {
    const { pattern, device } = makeDevice()
    holders.push(await startHolder(device, 'open', { as: 'pipewire' }))
    holders.push(await startHolder(device, 'open', { as: 'wireplumber' }))
    const s = await status(pattern)
    expect(s.state).toBe('off')
    expect(s.cameras[0]!.users).toEqual([])
  })

  it('reports a broker that maps the device, when no client can be named', async () => {
    const { pattern, device } = makeDevice()
    const h = await startHolder(device, 'map', { as: 'pipewire' })
    holders.push(h)
    const s = await status(pattern)
    expect(s.state).toBe('on')
    expect(s.cameras[0]!.users).toMatchObject([{ pid: h.pid, name: 'pipewire', evidence: 'streaming' }])
  })

  it('agrees with fuser on which processes hold the device', async () => {
    const { pattern, device } = makeDevice()
    const hs = await Promise.all([
      startHolder(device, 'open'),
      startHolder(device, 'map'),
      startHolder(device, 'open'),
    ])
    holders.push(...hs)
    const s = await status(pattern)
    const pids = s.cameras.flatMap((c) => c.users.map((u) => u.pid!)).sort((a, b) => a - b)
    expect(pids).toEqual(fuser(device))
    expect(pids).toHaveLength(3)
  })

  it('lists each device as a camera, in order, and marks only the one in use', async () => {
    const { dir, pattern } = makeDevice('video0')
    const second = join(dir, 'video1')
    writeFileSync(second, Buffer.alloc(8192))
    const h = await startHolder(second, 'open')
    holders.push(h)
    const snap = await status(pattern)
    expect(snap.cameras.map((c) => [c.name, c.inUse])).toEqual([
      ['video0', false],
      ['video1', true],
    ])
    expect(snap.cameras[1]!.users).toMatchObject([{ pid: h.pid }])
  })

  it('takes --device more than once', async () => {
    const a = makeDevice('video0')
    const b = makeDevice('video5')
    const h = await startHolder(b.device, 'open')
    holders.push(h)
    const r = await runCli(
      ['status', '--json', '--device', a.pattern, '--device', b.pattern.replace('video*', 'video5')],
      {
        CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'camguard-data-')),
      },
    )
    const snap = JSON.parse(r.stdout) as CameraSnapshot
    expect(snap.cameras.map((c) => c.name).sort()).toEqual(['video0', 'video5'])
    expect(snap.cameras.find((c) => c.name === 'video5')!.inUse).toBe(true)
    expect(snap.cameras.find((c) => c.name === 'video0')!.inUse).toBe(false)
  })

  it('prints a readable answer without --json', async () => {
    const { pattern, device } = makeDevice()
    const h = await startHolder(device, 'map')
    holders.push(h)
    const r = await runCli(['status', '--device', pattern], {
      CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'cg-')),
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Camera: ON, used by python3/)
    expect(r.stdout).toContain(`python3 (pid ${h.pid}), streaming video`)
  })
})
