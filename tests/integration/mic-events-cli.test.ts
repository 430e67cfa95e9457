// The microphone's events in `camguard watch`, its history in `camguard log`, and the user's hooks
// on them: real processes hold and map a test ALSA capture node (--mic-device), the engine scans the
// real /proc, and fuser says who holds the node.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Hook } from '../../src/shared/hooks.js'
import type { ActivitySession, MonitorEvent } from '../../src/shared/types.js'
import { fuser, runCli, startHolder, startWatch, waitUntil, type Holder } from '../support/processes.js'

type MicOn = Extract<MonitorEvent, { type: 'microphone-on' }>
type MicOff = Extract<MonitorEvent, { type: 'microphone-off' }>

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function captureNode(): { node: string; pattern: string } {
  const dir = mkdtempSync(join(tmpdir(), 'camguard-snd-'))
  const node = join(dir, 'pcmC0D0c')
  writeFileSync(node, Buffer.alloc(8192))
  return { node, pattern: join(dir, 'pcmC*D*c') }
}

const freshEnv = () => ({
  CAMGUARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'camguard-data-')),
  XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'camguard-run-')),
})

/** `camguard watch` on the test capture node only (no camera device exists). */
function watchMic(pattern: string, env: NodeJS.ProcessEnv, json = true) {
  const args = [
    ...(json ? ['--json'] : []),
    '--no-notify',
    '--interval',
    '200',
    '--device',
    '/nonexistent/video*',
    '--mic-device',
    pattern,
  ]
  const watch = startWatch(args, env)
  cleanups.push(async () => {
    watch.child.kill('SIGKILL')
    await watch.exit
  })
  return watch
}

async function hold(node: string, as: string): Promise<Holder> {
  const h = await startHolder(node, 'map', { as })
  cleanups.push(() => h.stop())
  return h
}

describe('camguard watch and log: the microphone', { timeout: 120_000 }, () => {
  it('watch --json: microphone-on names who records (as fuser does), microphone-off ends it; log keeps the kind', async () => {
    const { node, pattern } = captureNode()
    const env = freshEnv()
    const watch = watchMic(pattern, env)
    await watch.event('ready')
    const h = await hold(node, 'spyrec')
    const on = await watch.event<MicOn>('microphone-on', 30_000)
    expect(on).toMatchObject({
      type: 'microphone-on',
      kind: 'microphone',
      unexpected: true,
      reasons: ['untrusted-app'],
      apps: [{ pid: h.pid, name: 'spyrec', evidence: 'streaming' }],
    })
    expect(on.apps.map((a) => a.pid)).toEqual(fuser(node))
    await h.stop()
    const off = await watch.event<MicOff>('microphone-off', 30_000)
    expect(off.kind).toBe('microphone')
    expect(off.durationMs).toBeGreaterThanOrEqual(0)
    watch.child.kill('SIGINT')
    expect(await watch.exit).toBe(0)
    // The camera was never on: no camera event was printed.
    const types = watch.lines
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as MonitorEvent).type)
    expect(types.filter((t) => t.startsWith('camera-'))).toEqual([])

    const sessions = JSON.parse((await runCli(['log', '--json'], env)).stdout) as ActivitySession[]
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({
      kind: 'microphone',
      unexpected: true,
      reasons: ['untrusted-app'],
      apps: [{ pid: h.pid, name: 'spyrec' }],
    })
    expect(sessions[0]!.end).not.toBeNull()
    const csv = (await runCli(['log', '--csv'], env)).stdout.trimEnd().split('\r\n')
    expect(csv[0]).toBe('start,end,durationMs,apps,unexpected,reasons,kind')
    expect(csv[1]).toMatch(new RegExp(`,spyrec \\(${h.pid}\\),true,untrusted-app,microphone$`))
    const text = await runCli(['log'], env)
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(
      / {2}Microphone {2}.* spyrec {2}UNEXPECTED \(it is not an app you have marked as trusted\)\n$/,
    )
  })

  it('watch says "Microphone" in its plain lines', async () => {
    const { node, pattern } = captureNode()
    const watch = watchMic(pattern, freshEnv(), false)
    await watch.waitFor((l) => l.includes('Watching'), 30_000)
    expect(watch.lines[0]).toMatch(/the camera is off and the microphone is off\./)
    const h = await hold(node, 'spyrec')
    const on = await watch.waitFor((l) => l.includes('Microphone ON'), 30_000)
    expect(on).toMatch(
      new RegExp(
        `Microphone ON: spyrec \\(pid ${h.pid}\\), recording sound\\. UNEXPECTED: it is not an app you have marked as trusted\\.$`,
      ),
    )
    await h.stop()
    await watch.waitFor((l) => /Microphone off after (less than a minute|\d+ minutes?)\.$/.test(l), 30_000)
  })
})

describe('hooks on microphone events', { timeout: 120_000 }, () => {
  it('run on microphone-on, unexpected, still-on and microphone-off with CAMGUARD_KIND=microphone and the event line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camguard-hook-'))
    const script = join(dir, 'hook.sh')
    // Each run leaves <event> (the JSON line) and <event>.env, moved into place once complete.
    writeFileSync(
      script,
      `#!/bin/sh\ncat > "$1/$CAMGUARD_EVENT.tmp"; printf '%s\\n' "$CAMGUARD_EVENT" "$CAMGUARD_KIND" "$CAMGUARD_APP" "$CAMGUARD_PID" > "$1/$CAMGUARD_EVENT.env.tmp"; mv "$1/$CAMGUARD_EVENT.env.tmp" "$1/$CAMGUARD_EVENT.env"; mv "$1/$CAMGUARD_EVENT.tmp" "$1/$CAMGUARD_EVENT"\n`,
    )
    chmodSync(script, 0o755)
    const out = join(dir, 'runs')
    mkdirSync(out)
    const events = ['microphone-on', 'unexpected', 'still-on', 'microphone-off', 'camera-on'] as const
    const hooks: Hook[] = events.map((e, i) => ({ id: `h${i}`, on: [e], command: [script, out] }))
    const env = freshEnv()
    writeFileSync(join(env.CAMGUARD_DATA_DIR, 'settings.json'), JSON.stringify({ hooks }))
    const { node, pattern } = captureNode()
    const watch = watchMic(pattern, env)
    await watch.event('ready')
    const h = await hold(node, 'spyrec')
    await watch.event<MicOn>('microphone-on', 30_000)
    const onLine = watch.lines.find((l) => l.includes('"type":"microphone-on"'))!
    const envOf = (event: string) => readFileSync(join(out, `${event}.env`), 'utf8').split('\n')
    await waitUntil(() => existsSync(join(out, 'microphone-on')), 'the microphone-on hook', undefined, 30_000)
    expect(readFileSync(join(out, 'microphone-on'), 'utf8')).toBe(onLine + '\n')
    expect(envOf('microphone-on')).toEqual(['microphone-on', 'microphone', 'spyrec', String(h.pid), ''])
    await waitUntil(() => existsSync(join(out, 'unexpected')), 'the unexpected hook', undefined, 30_000)
    expect(envOf('unexpected')).toEqual(['unexpected', 'microphone', 'spyrec', String(h.pid), ''])

    // A reminder asked for by hand, in 3 seconds, while only the microphone is on.
    const remind = await runCli(['remind', '0.05'], env)
    expect(remind.stdout).toMatch(/if the microphone is still on\.\n$/)
    expect(await watch.event('still-on', 30_000)).toMatchObject({ kind: 'microphone', armed: true })
    await waitUntil(() => existsSync(join(out, 'still-on')), 'the still-on hook', undefined, 30_000)
    expect(envOf('still-on')).toEqual(['still-on', 'microphone', 'spyrec', String(h.pid), ''])
    expect(JSON.parse(readFileSync(join(out, 'still-on'), 'utf8'))).toMatchObject({
      type: 'still-on',
      kind: 'microphone',
    })

    await h.stop()
    await watch.event('microphone-off', 30_000)
    await waitUntil(
      () => existsSync(join(out, 'microphone-off')),
      'the microphone-off hook',
      undefined,
      30_000,
    )
    expect(envOf('microphone-off')).toEqual(['microphone-off', 'microphone', '', '', ''])
    expect(JSON.parse(readFileSync(join(out, 'microphone-off'), 'utf8'))).toMatchObject({
      type: 'microphone-off',
      kind: 'microphone',
    })
    watch.child.kill('SIGTERM')
    expect(await watch.exit).toBe(0)
    // A camera hook does not run for the microphone.
    expect(existsSync(join(out, 'camera-on'))).toBe(false)
    const list = await runCli(['hook', 'list'], env)
    expect(list.stdout).toMatch(/last run \S+ on microphone-on: ok/)
    expect(list.stdout).toMatch(/last run \S+ on microphone-off: ok/)
  })
})
