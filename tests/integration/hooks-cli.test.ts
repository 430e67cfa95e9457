import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Hook } from '../../src/shared/hooks.js'
import type { MonitorEvent } from '../../src/shared/types.js'
import { isRunning, makeDevice, runCli, startHolder, startWatch, waitUntil } from '../support/processes.js'

const fresh = () => ({ CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'camguard-data-')) })

function script(body: string): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-hook-'))
  const path = join(dir, 'hook.sh')
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return { path, dir }
}

describe('camguard hook', () => {
  it('adds, lists and removes hooks, kept in the settings', async () => {
    const env = fresh()
    const add = await runCli(
      ['hook', 'add', '--on', 'camera-on,unexpected', '--', 'notify-send', '-u', 'critical', 'On air'],
      env,
    )
    expect(add.code).toBe(0)
    const [hook] = JSON.parse((await runCli(['hook', 'list', '--json'], env)).stdout) as Hook[]
    expect(hook).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{6}$/),
      on: ['camera-on', 'unexpected'],
      command: ['notify-send', '-u', 'critical', 'On air'],
    })
    expect(add.stdout).toContain(`Added hook ${hook!.id}`)
    const list = await runCli(['hook', 'list'], env)
    expect(list.stdout).toContain(`${hook!.id}  on camera-on, unexpected: notify-send -u critical 'On air'`)
    expect(list.stdout).toContain('not run yet')
    expect(JSON.parse((await runCli(['config', 'get', 'hooks'], env)).stdout)).toEqual([hook])

    const remove = await runCli(['hook', 'remove', hook!.id], env)
    expect(remove).toMatchObject({ code: 0, stdout: `Removed hook ${hook!.id}.\n` })
    expect((await runCli(['hook', 'list'], env)).stdout).toMatch(/No hooks yet/)
  })

  it.each([
    [
      ['hook', 'add', '--on', 'camera-onn', '--', 'echo'],
      /Unknown event "camera-onn"; events are camera-on, camera-off/,
    ],
    [['hook', 'add', '--on', ',', '--', 'echo'], /Name at least one event/],
    [['hook', 'add', '--on', 'camera-on'], /Missing required argument 'command'/],
    [['hook', 'add', '--on', 'camera-on', '--', ''], /Give the program to run/],
    [['hook', 'add', '--', 'echo'], /Required option '--on <events>'/],
    [['hook', 'remove', 'nope'], /No hook has the id "nope"/],
  ])('camguard %j: one clear line, exit 2, nothing written', async (args, message) => {
    const env = fresh()
    await runCli(['hook', 'add', '--on', 'still-on', '--', 'true'], env)
    const settings = join(env.CAMGUARD_DATA_DIR, 'settings.json')
    const before = readFileSync(settings, 'utf8')
    const r = await runCli(args, env)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stdout).toBe('')
    expect(readFileSync(settings, 'utf8')).toBe(before)
  })
})

describe('hooks run from camguard watch', () => {
  it('get the event line and CAMGUARD_* for a real activation; a hanging hook does not hold monitoring up', async () => {
    const env = fresh()
    const { path: record, dir } = script(
      // Written aside and moved into place: a file that exists is complete.
      `cat > "$1.tmp"; printf '%s\\n' "$CAMGUARD_EVENT" "$CAMGUARD_KIND" "$CAMGUARD_APP" "$CAMGUARD_PID" > "$1.env.tmp"; mv "$1.tmp" "$1"; mv "$1.env.tmp" "$1.env"`,
    )
    const out = join(dir, 'event')
    const { path: hang, dir: hangDir } = script(`sleep 60 & echo $! > "$1.tmp"; mv "$1.tmp" "$1"; wait`)
    const hangChild = join(hangDir, 'child')
    const { path: offHook, dir: offDir } = script(`cat > "$1.tmp"; mv "$1.tmp" "$1"`)
    const offOut = join(offDir, 'off')
    // Written straight into settings.json (hook add is tested above): fewer processes to start.
    const hooks: Hook[] = [
      { id: 'rec', on: ['camera-on'], command: [record, out] },
      { id: 'hang', on: ['unexpected'], command: [hang, hangChild] },
      { id: 'off', on: ['camera-off'], command: [offHook, offOut] },
    ]
    writeFileSync(join(env.CAMGUARD_DATA_DIR, 'settings.json'), JSON.stringify({ hooks }))

    const { pattern, device } = makeDevice()
    const watch = startWatch(['--json', '--no-notify', '--interval', '200', '--device', pattern], env)
    try {
      await watch.event('ready')
      const holder = await startHolder(device, 'map')
      const on = await watch.event<Extract<MonitorEvent, { type: 'camera-on' }>>('camera-on')
      const onLine = watch.lines.find((l) => l.includes('"type":"camera-on"'))!
      await waitUntil(() => existsSync(`${out}.env`), 'the camera-on hook')
      expect(readFileSync(out, 'utf8')).toBe(onLine + '\n')
      expect(readFileSync(`${out}.env`, 'utf8').split('\n')).toEqual([
        'camera-on',
        'camera',
        'python3',
        String(holder.pid),
        '',
      ])
      expect(on.unexpected).toBe(true)

      // The "unexpected" hook hangs; the camera going off is still seen, and its hook still runs.
      await waitUntil(() => existsSync(hangChild), 'the hanging hook')
      await holder.stop()
      await watch.event('camera-off')
      await waitUntil(() => existsSync(offOut), 'the camera-off hook')
      expect(JSON.parse(readFileSync(offOut, 'utf8'))).toMatchObject({ type: 'camera-off' })

      watch.child.kill('SIGTERM')
      expect(await watch.exit).toBe(0)
      // Stopping CamGuard ends the hook still running, with what it started.
      const child = Number(readFileSync(hangChild, 'utf8'))
      await waitUntil(() => !isRunning(child), 'the hanging hook to be ended', undefined, 5000)

      const list = await runCli(['hook', 'list'], env)
      expect(list.stdout).toMatch(/last run \S+ on camera-on: ok/)
      expect(list.stdout).toMatch(/last run \S+ on camera-off: ok/)
    } finally {
      watch.child.kill('SIGKILL')
    }
  })
})
