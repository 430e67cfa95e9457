import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ActivitySession, MonitorEvent } from '../../src/shared/types.js'
import { makeDevice, runCli, startHolder, startWatch } from '../support/processes.js'

describe('camguard watch --json against real processes', () => {
  it('prints ready, camera-on naming the app, camera-off with a duration, logs the session, and exits 0 on SIGTERM', async () => {
    const { pattern, device } = makeDevice()
    const env = { CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'camguard-data-')) }
    const watch = startWatch(['--json', '--no-notify', '--interval', '200', '--device', pattern], env)
    try {
      const ready = await watch.event<Extract<MonitorEvent, { type: 'ready' }>>('ready')
      expect(ready.snapshot.state).toBe('off')
      expect(watch.lines[0]).toContain('"type":"ready"')

      const holder = await startHolder(device, 'map')
      const on = await watch.event<Extract<MonitorEvent, { type: 'camera-on' }>>('camera-on')
      expect(on.apps).toMatchObject([{ pid: holder.pid, name: 'python3', evidence: 'streaming' }])
      expect(on).toMatchObject({ unexpected: true, reasons: ['untrusted-app'] })

      await holder.stop()
      const off = await watch.event<Extract<MonitorEvent, { type: 'camera-off' }>>('camera-off')
      expect(off.durationMs).toBeGreaterThan(0)

      // A second monitor on the same data directory says so and exits 1.
      const second = await runCli(['watch', '--no-notify', '--device', pattern], env)
      expect(second.code).toBe(1)
      expect(second.stderr).toMatch(/already watching/)

      watch.child.kill('SIGTERM')
      expect(await watch.exit).toBe(0)

      const log = await runCli(['log', '--json'], env)
      const sessions = JSON.parse(log.stdout) as ActivitySession[]
      expect(sessions).toHaveLength(1)
      expect(sessions[0]).toMatchObject({ apps: [{ pid: holder.pid, name: 'python3' }], unexpected: true })
      expect(sessions[0]!.durationMs).toBe(off.durationMs)
    } finally {
      watch.child.kill('SIGKILL')
    }
  })

  it('closes the session that is still open when stopped, and prints readable lines without --json', async () => {
    const { pattern, device } = makeDevice()
    const env = { CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'camguard-data-')) }
    const holder = await startHolder(device, 'open')
    const watch = startWatch(['--no-notify', '--interval', '200', '--device', pattern], env)
    try {
      await watch.waitFor((l) => l.includes('Camera ON'))
      expect(watch.lines.join('\n')).toMatch(/Watching 1 camera/)
      expect(watch.lines.join('\n')).toMatch(
        new RegExp(`Camera ON: python3 \\(pid ${holder.pid}\\), has the camera open\\. UNEXPECTED`),
      )
      watch.child.kill('SIGINT')
      expect(await watch.exit).toBe(0)
      const sessions = JSON.parse((await runCli(['log', '--json'], env)).stdout) as ActivitySession[]
      expect(sessions).toHaveLength(1)
      expect(sessions[0]!.end).not.toBeNull()
      expect(sessions[0]!.durationMs).toBeGreaterThanOrEqual(0)
    } finally {
      watch.child.kill('SIGKILL')
      await holder.stop()
    }
  })
})
