import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Hook } from '../shared/hooks.js'
import type { CameraUser, MonitorEvent } from '../shared/types.js'
import { ManualClock } from '../../tests/support/manual-clock.js'
import { isRunning, waitUntil } from '../../tests/support/processes.js'
import {
  HOOK_LOG_FILE,
  HOOK_TIMEOUT_MS,
  appendLog,
  createHookRunner,
  hookEventsOf,
  readHookLog,
} from './hooks.js'

// Real hook scripts, run as real processes.

const runners: { stop(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()))
})

function temp(): string {
  return mkdtempSync(join(tmpdir(), 'camguard-hooks-'))
}

function script(dir: string, name: string, body: string): string {
  const path = join(dir, name)
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return path
}

function runner(dir: string, hooks: Hook[], extra: { timeoutMs?: number; clock?: ManualClock } = {}) {
  const r = createHookRunner({ hooks: () => hooks, dir, ...extra })
  runners.push(r)
  return r
}

const on = (apps: CameraUser[], unexpected = true): MonitorEvent => ({
  type: 'camera-on',
  kind: 'camera',
  at: '2026-11-28T12:00:00.000Z',
  apps,
  unexpected,
  reasons: unexpected ? ['untrusted-app'] : [],
})

describe('hookEventsOf', () => {
  it('names the device, and adds "unexpected" for an unexpected activation', () => {
    expect(hookEventsOf(on([], true))).toEqual(['camera-on', 'unexpected'])
    expect(hookEventsOf(on([], false))).toEqual(['camera-on'])
    const micOn: MonitorEvent = { ...on([], true), type: 'microphone-on', kind: 'microphone' } as MonitorEvent
    expect(hookEventsOf(micOn)).toEqual(['microphone-on', 'unexpected'])
    expect(hookEventsOf({ type: 'microphone-off', kind: 'microphone', at: '', durationMs: 5 })).toEqual([
      'microphone-off',
    ])
    expect(hookEventsOf({ type: 'still-on', kind: 'microphone', at: '', apps: [], onForMs: 1 })).toEqual([
      'still-on',
    ])
    expect(hookEventsOf({ type: 'camera-off', kind: 'camera', at: '', durationMs: 5 })).toEqual([
      'camera-off',
    ])
    expect(hookEventsOf({ type: 'still-on', kind: 'camera', at: '', apps: [], onForMs: 1 })).toEqual([
      'still-on',
    ])
    expect(
      hookEventsOf({ type: 'apps-changed', kind: 'camera', at: '', apps: [], unexpected: true, reasons: [] }),
    ).toEqual(['unexpected'])
    expect(hookEventsOf({ type: 'state-unknown', kind: 'camera', at: '', error: 'x' })).toEqual([])
  })
})

describe('the hook runner', () => {
  it('gives a hook the event as one JSON line on stdin and CAMGUARD_* in its environment, without a shell', async () => {
    const dir = temp()
    const out = join(dir, 'out')
    const hook = script(
      dir,
      'hook.sh',
      `cat > "$1"; printf '%s\\n' "$CAMGUARD_EVENT" "$CAMGUARD_KIND" "$CAMGUARD_APP" "$CAMGUARD_PID" > "$1.env"`,
    )
    const r = runner(dir, [{ id: 'h1', on: ['camera-on'], command: [hook, out] }])
    // A name another program chose: data to pass on, never a command to run.
    const hostile = `zoom$(touch ${dir}/pwned); rm -rf ~ \`id\`\0`
    const event = on([{ pid: 4242, name: hostile, exe: '/usr/bin/zoom', evidence: 'streaming' }])
    r.handle(event)
    await r.idle()
    expect(readFileSync(out, 'utf8')).toBe(JSON.stringify(event) + '\n')
    expect(readFileSync(`${out}.env`, 'utf8').split('\n')).toEqual([
      'camera-on',
      'camera',
      hostile.replace('\0', ''),
      '4242',
      '',
    ])
    expect(existsSync(join(dir, 'pwned'))).toBe(false)
    expect(readHookLog(dir)).toMatchObject([{ hook: 'h1', event: 'camera-on', exitCode: 0, timedOut: false }])
  })

  it('runs a hook once per event, named by the first of its events that matches', async () => {
    const dir = temp()
    const hook = script(dir, 'hook.sh', `echo "$CAMGUARD_EVENT" >> "${dir}/runs"`)
    const r = runner(dir, [
      { id: 'both', on: ['unexpected', 'camera-on'], command: [hook] },
      { id: 'mic', on: ['microphone-on'], command: [hook] },
    ])
    r.handle(on([]))
    await r.idle()
    expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('camera-on\n')
  })

  it('kills a hook that hangs, with what it started, after its limit; others run meanwhile', async () => {
    const dir = temp()
    const hang = script(dir, 'hang.sh', `sleep 60 & echo $! > "${dir}/child"; echo started; wait`)
    const quick = script(dir, 'quick.sh', `echo off >> "${dir}/quick"`)
    const r = runner(
      dir,
      [
        { id: 'hang', on: ['camera-on'], command: [hang] },
        { id: 'quick', on: ['camera-off'], command: [quick] },
      ],
      { timeoutMs: 400 },
    )
    r.handle(on([]))
    await waitUntil(() => existsSync(join(dir, 'child')), 'the hook starting its child')
    r.handle({ type: 'camera-off', kind: 'camera', at: '', durationMs: 1 })
    await waitUntil(() => existsSync(join(dir, 'quick')), 'the next hook running while the first hangs')
    await waitUntil(() => r.running === 1, 'the next hook ending while the first hangs')
    expect(readHookLog(dir)).toMatchObject([{ hook: 'quick', exitCode: 0 }])
    await r.idle()
    const child = Number(readFileSync(join(dir, 'child'), 'utf8'))
    expect(isRunning(child)).toBe(false)
    const hung = readHookLog(dir).find((e) => e.hook === 'hang')!
    expect(hung).toMatchObject({ timedOut: true, signal: 'SIGKILL', stdout: 'started\n' })
    expect(hung.durationMs).toBeGreaterThanOrEqual(400)
  })

  it('kills after 10 s by default', async () => {
    expect(HOOK_TIMEOUT_MS).toBe(10_000)
    const dir = temp()
    const clock = new ManualClock()
    const hang = script(dir, 'hang.sh', `echo started; exec sleep 60`)
    const r = runner(dir, [{ id: 'hang', on: ['camera-on'], command: [hang] }], { clock })
    r.handle(on([]))
    await new Promise((res) => setTimeout(res, 300))
    await clock.advance(9_999)
    expect(r.running).toBe(1)
    await clock.advance(1)
    await r.idle()
    expect(readHookLog(dir)).toMatchObject([{ hook: 'hang', timedOut: true, durationMs: 10_000 }])
  })

  it('logs a hook that fails, and one that cannot start', async () => {
    const dir = temp()
    const fail = script(dir, 'fail.sh', `echo "no light found" >&2; exit 3`)
    const r = runner(dir, [
      { id: 'fail', on: ['camera-on'], command: [fail] },
      { id: 'gone', on: ['camera-on'], command: [join(dir, 'no-such-program')] },
    ])
    r.handle(on([]))
    await r.idle()
    const log = readHookLog(dir)
    expect(log.find((e) => e.hook === 'fail')).toMatchObject({ exitCode: 3, stderr: 'no light found\n' })
    expect(log.find((e) => e.hook === 'gone')).toMatchObject({ error: expect.stringMatching(/ENOENT/) })
  })

  it('runs at most 8 hooks at once and logs the ones it skipped', async () => {
    const dir = temp()
    const hang = script(dir, 'hang.sh', `exec sleep 60`)
    const hooks: Hook[] = Array.from({ length: 9 }, (_, i) => ({
      id: `h${i}`,
      on: ['camera-on'],
      command: [hang],
    }))
    const r = runner(dir, hooks, { timeoutMs: 60_000 })
    r.handle(on([]))
    expect(r.running).toBe(8)
    expect(readHookLog(dir)).toMatchObject([{ hook: 'h8', error: expect.stringMatching(/skipped/) }])
    await r.stop()
    expect(r.running).toBe(0)
  })
})

describe('the hook log', () => {
  it('is private to the user and stays small', () => {
    const dir = temp()
    const run = {
      at: '2026-11-28T12:00:00.000Z',
      hook: 'h1',
      event: 'camera-on' as const,
      kind: 'camera' as const,
      command: ['x'],
      pid: 1,
      exitCode: 0,
      signal: null,
      timedOut: false,
      durationMs: 1,
      stdout: 'o'.repeat(2048),
      stderr: '',
    }
    for (let i = 0; i < 300; i++) appendLog(join(dir, HOOK_LOG_FILE), { ...run, pid: i })
    const path = join(dir, HOOK_LOG_FILE)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(path).size).toBeLessThanOrEqual(128 * 1024)
    const kept = readHookLog(dir)
    expect(kept.at(-1)!.pid).toBe(299)
    expect(kept.length).toBeGreaterThan(20)
  })
})
