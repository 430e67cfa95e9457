// `camguard doctor` as a user runs it: what this machine can detect, and the exit code.
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { DoctorReport } from '../../src/core/doctor.js'
import { makeDevice, runCli, startHolder } from '../support/processes.js'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setUp() {
  const dev = makeDevice()
  cleanups.push(() => rmSync(dev.dir, { recursive: true, force: true }))
  const data = `${dev.dir}/data`
  const set = await runCli([
    'config',
    'set',
    'devicePatterns',
    JSON.stringify([dev.pattern]),
    '--data-dir',
    data,
  ])
  expect(set.code).toBe(0)
  return { dev, data }
}

describe.runIf(process.platform === 'linux')('camguard doctor', () => {
  it('reports event mode through in-process inotify, the cameras, rights and the cost of a check', async () => {
    const { dev, data } = await setUp()
    const holder = await startHolder(dev.device, 'map')
    cleanups.push(() => holder.stop())
    const r = await runCli(['doctor', '--json', '--data-dir', data], { PATH: '/nonexistent' })
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout) as DoctorReport
    expect(report).toMatchObject({
      ok: true,
      detector: 'linux-proc',
      native: { ok: true, detail: expect.stringMatching(/inotify through libc \(koffi 3\./) },
      mode: 'event',
      state: 'on',
      system: { platform: 'linux', node: process.version },
    })
    expect(report.cameras).toEqual([
      expect.objectContaining({ name: 'video0', devices: [dev.device], inUse: true }),
    ])
    expect(report.rights.join(' ')).toMatch(/root|other users/)
    expect(report.checkCost.checks).toBeGreaterThan(0)
    expect(report.checkCost.wallMs).toBeGreaterThan(0)

    const text = await runCli(['doctor', '--data-dir', data])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^Mode: +event: inotify/m)
    expect(text.stdout).toMatch(/video0: in use/)
    expect(text.stdout).toMatch(/Detection works here: yes/)
  })

  it('says why it polls when polling is forced', async () => {
    const { data } = await setUp()
    const r = await runCli(['doctor', '--json', '--data-dir', data], { CAMGUARD_DETECTION: 'poll' })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({
      mode: 'poll',
      modeWhy: expect.stringMatching(/CAMGUARD_DETECTION=poll/),
    })
  })
})
