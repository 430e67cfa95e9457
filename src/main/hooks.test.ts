import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Hook } from '../shared/hooks.js'
import type { MonitorEvent } from '../shared/types.js'
import { readHookLog } from '../core/hooks.js'
import { setupHooks } from './hooks.js'

describe('setupHooks', () => {
  it('runs the hooks in the settings on the engine events, until stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camguard-main-hooks-'))
    const hook = join(dir, 'hook.sh')
    writeFileSync(hook, `#!/bin/sh\necho "$CAMGUARD_EVENT" >> "${dir}/runs"\n`)
    chmodSync(hook, 0o755)
    const hooks: Hook[] = [{ id: 'a1', on: ['camera-off'], command: [hook] }]
    const listeners = new Set<(e: MonitorEvent) => void>()
    const engine = {
      onEvent(l: (e: MonitorEvent) => void) {
        listeners.add(l)
        return () => listeners.delete(l)
      },
    }
    const h = setupHooks({ engine, settings: { get: () => ({ hooks }) as never }, dir, log: () => undefined })
    for (const l of listeners) l({ type: 'camera-off', kind: 'camera', at: '', durationMs: 1 })
    await h.stop()
    expect(listeners.size).toBe(0)
    expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('camera-off\n')
    expect(readHookLog(dir)).toMatchObject([{ hook: 'a1', exitCode: 0 }])
  })
})
