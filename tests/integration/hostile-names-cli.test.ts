// A real process whose name is a terminal escape sequence, seen by the built command on the real
// /proc: status, watch and log print the name written out, never as codes the terminal would run,
// and --json stays JSON that reads back to the real name.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActivitySession, CameraSnapshot } from '../../src/shared/types.js'
import { makeDevice, runCli, startHolder, startWatch } from '../support/processes.js'

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

// Clears the screen, moves to the top left and writes "off" (10 bytes: within the 15 of a process name).
const NAME = '\x1b[2J\x1b[Hoff'
const WRITTEN = '\\x1b[2J\\x1b[Hoff'
const ESC = '\x1b'

describe.skipIf(process.platform !== 'linux')(
  'a process named with escape sequences',
  { timeout: 120_000 },
  () => {
    it('is shown written out by status, watch and log', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'camguard-hostile-'))
      const dev = makeDevice()
      cleanups.push(() => {
        rmSync(dataDir, { recursive: true, force: true })
        rmSync(dev.dir, { recursive: true, force: true })
      })
      const env = { CAMGUARD_DATA_DIR: dataDir }
      const watch = startWatch(['--no-notify', '--interval', '200', '--device', dev.pattern], env)
      cleanups.push(async () => {
        watch.child.kill('SIGINT')
        await watch.exit
      })
      await watch.waitFor((l) => l.includes('Watching'))

      const holder = await startHolder(dev.device, 'map', { as: NAME })
      cleanups.push(() => holder.stop())
      const on = await watch.waitFor((l) => l.includes('Camera ON'))
      expect(on).toContain(`${WRITTEN} (pid ${holder.pid})`)

      const status = await runCli(['status', '--device', dev.pattern], env)
      expect(status.code, status.stderr).toBe(0)
      expect(status.stdout).toContain(`Camera: ON, used by ${WRITTEN}`)
      expect(status.stdout).not.toContain(ESC)
      const json = await runCli(['status', '--json', '--device', dev.pattern], env)
      expect(json.stdout).not.toContain(ESC)
      const snapshot = JSON.parse(json.stdout) as CameraSnapshot
      expect(snapshot.cameras[0]!.users[0]!.name).toBe(NAME)

      await holder.stop()
      await watch.waitFor((l) => l.includes('Camera off'))
      watch.child.kill('SIGINT')
      expect(await watch.exit).toBe(0)
      expect(watch.lines.join('\n')).not.toContain(ESC)

      // Names are kept in the history, so `log` would replay them later.
      const log = await runCli(['log'], env)
      expect(log.code, log.stderr).toBe(0)
      expect(log.stdout).toContain(WRITTEN)
      expect(log.stdout).not.toContain(ESC)
      const logJson = await runCli(['log', '--json'], env)
      expect(logJson.stdout).not.toContain(ESC)
      expect((JSON.parse(logJson.stdout) as ActivitySession[])[0]!.apps[0]!.name).toBe(NAME)
    })
  },
)
