// stopApp against real processes, checked by the real Linux detector: apps holding a test camera that
// close when asked, ignore SIGTERM, or become another program at the same pid; a process that uses
// no camera; another user's camera app (the test creates that user when it runs as root); CamGuard's
// own parent; init.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, readFileSync, rmSync } from 'node:fs'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { fixedSettings } from '../../tests/support/fixed-settings.js'
import { PYTHON, HOLDER, makeDevice, startHolder, type Holder } from '../../tests/support/processes.js'
import { ScriptedDetector, app as scriptedApp } from '../../tests/support/scripted-detector.js'
import { createDetector } from './camera/select.js'
import { createEngine } from './engine.js'
import { ancestorsOf, processIdentity, stopApp, usersNowFrom, type StopAppOptions } from './stop-app.js'

const isRoot = process.getuid?.() === 0

const started: (() => unknown)[] = []
afterEach(async () => {
  for (const stop of started.splice(0).reverse()) await stop()
})

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // A child we have not reaped yet is a zombie: it has ended.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

/** A test camera and the real detector watching it: stopApp's "who uses it now". */
function camera() {
  const { dir, device, pattern } = makeDevice()
  chmodSync(dir, 0o755)
  chmodSync(device, 0o666)
  const detector = createDetector({ platform: 'linux', devicePatterns: () => [pattern] })
  started.push(async () => {
    await detector.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const options = (extra: Partial<StopAppOptions> = {}): StopAppOptions => ({
    usersNow: usersNowFrom(detector),
    ...extra,
  })
  return { device, detector, options }
}

async function holder(device: string, options: Parameters<typeof startHolder>[2] = {}): Promise<Holder> {
  const h = await startHolder(device, 'map', options)
  started.push(() => h.stop())
  return h
}

function waitExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
}

describe.skipIf(process.platform !== 'linux')('stopApp', { timeout: 60_000 }, () => {
  it("ends an app using the camera that closes when asked ('terminated')", async () => {
    const cam = camera()
    const h = await holder(cam.device)
    const exited = waitExit(h.child)
    const result = await stopApp({ pid: h.pid }, cam.options())
    expect(result).toMatchObject({ ok: true, pid: h.pid, outcome: 'terminated' })
    await exited
    expect(h.child.signalCode).toBe('SIGTERM')
  })

  it("forces an app that ignores SIGTERM to end ('killed')", async () => {
    const cam = camera()
    const h = await holder(cam.device, { ignoreTerm: true })
    const exited = waitExit(h.child)
    const result = await stopApp({ pid: h.pid }, cam.options({ graceMs: 500 }))
    expect(result).toMatchObject({ ok: true, pid: h.pid, outcome: 'killed' })
    expect(result.message).toMatch(/forced/)
    await exited
    expect(h.child.signalCode).toBe('SIGKILL')
    expect(alive(h.pid)).toBe(false)
  })

  it('never forces the program a pid has become since it was asked to close', async () => {
    // The app answers SIGTERM by becoming `sleep` at the same pid: the number now names another
    // program, as a recycled pid would. The re-check before SIGKILL must leave it alone.
    const cam = camera()
    const h = await holder(cam.device, { execOnTerm: '/bin/sleep' })
    const before = processIdentity(h.pid)!
    const result = await stopApp({ pid: h.pid }, cam.options({ graceMs: 1000 }))
    expect(result).toMatchObject({ ok: true, outcome: 'terminated' })
    expect(alive(h.pid)).toBe(true)
    const after = processIdentity(h.pid)!
    expect(after.exe).toBe('/usr/bin/sleep')
    expect(after.exe).not.toBe(before.exe)
    expect(h.child.signalCode).toBeNull()
  })

  it('refuses a pid whose start time or executable is not the one the alert showed', async () => {
    const cam = camera()
    const h = await holder(cam.device)
    const id = processIdentity(h.pid)!
    expect(id.startedAt).toMatch(/^\d+$/)
    const wrongStart = await stopApp(
      { pid: h.pid, startedAt: String(Number(id.startedAt) + 1) },
      cam.options(),
    )
    expect(wrongStart).toMatchObject({ ok: false, outcome: 'refused' })
    expect(wrongStart.message).toMatch(/no longer the app CamGuard showed/)
    const wrongExe = await stopApp({ pid: h.pid, exe: '/usr/bin/zoom' }, cam.options())
    expect(wrongExe).toMatchObject({ ok: false, outcome: 'refused' })
    expect(alive(h.pid)).toBe(true)
    // The identity it really has is accepted.
    const right = await stopApp({ pid: h.pid, startedAt: id.startedAt, exe: id.exe }, cam.options())
    expect(right).toMatchObject({ ok: true, outcome: 'terminated' })
  })

  it('refuses a process that is not using the camera now, and leaves it running', async () => {
    const cam = camera()
    const bystander = spawn('sleep', ['30'], { stdio: 'ignore' })
    started.push(() => bystander.kill('SIGKILL'))
    const result = await stopApp({ pid: bystander.pid! }, cam.options({ graceMs: 200 }))
    expect(result).toMatchObject({ ok: false, outcome: 'refused' })
    expect(result.message).toMatch(/not using the camera or the microphone now/)
    expect(alive(bystander.pid!)).toBe(true)
  })

  it('says an app that has already ended is gone', async () => {
    const cam = camera()
    const child = spawn('/bin/true')
    await waitExit(child)
    expect(await stopApp({ pid: child.pid! }, cam.options())).toMatchObject({ ok: true, outcome: 'gone' })
  })

  it('knows the processes that started it (a parent holding the camera is refused: stop-cli test)', () => {
    const chain = ancestorsOf(process.pid)
    expect(chain[0]).toBe(process.ppid)
    expect(chain).toContain(1)
  })

  it('refuses init, pid 0, negative, fractional and huge pids, and CamGuard itself', async () => {
    const cam = camera()
    for (const pid of [1, 0, -1, 1.5, 2 ** 31, Number.NaN]) {
      expect(await stopApp({ pid }, cam.options()), String(pid)).toMatchObject({
        ok: false,
        outcome: 'refused',
      })
    }
    expect(alive(1)).toBe(true)
    expect(await stopApp({ pid: process.pid }, cam.options())).toMatchObject({
      ok: false,
      outcome: 'refused',
    })
  })

  it('refuses when it cannot tell who uses the camera now', async () => {
    const h = await holder(camera().device)
    const result = await stopApp(
      { pid: h.pid },
      { usersNow: usersNowFrom(createDetector({ platform: 'linux', devicePatterns: () => [] })) },
    )
    expect(result).toMatchObject({ ok: false, outcome: 'refused' })
    expect(alive(h.pid)).toBe(true)
  })
})

describe.skipIf(process.platform !== 'linux')(
  "Stop app from the window or an old notification (the engine's stopApp)",
  () => {
    it(
      'stops a pid only while the detector names it as using a device now',
      { timeout: 60_000 },
      async () => {
        const detector = new ScriptedDetector()
        const engine = createEngine({ detector, settings: fixedSettings(), intervalMs: 60_000 })
        const child = spawn('sleep', ['60'], { stdio: 'ignore' })
        started.push(() => child.kill('SIGKILL'))
        const pid = child.pid!
        // The camera is on, but another app uses it: the pid from an old alert is refused.
        detector.set('on', [scriptedApp('zoom', pid + 100000)])
        expect(await engine.stopApp(pid)).toMatchObject({ ok: false, outcome: 'refused' })
        expect(alive(pid)).toBe(true)
        // Named now, with its real identity: stopped.
        detector.set('on', [scriptedApp('sleep', pid, processIdentity(pid)!.exe)])
        const exited = waitExit(child)
        expect(await engine.stopApp({ pid, startedAt: processIdentity(pid)!.startedAt! })).toMatchObject({
          ok: true,
          outcome: 'terminated',
        })
        await exited
      },
    )
  },
)

describe.skipIf(process.platform !== 'linux' || !isRoot)(
  "another user's camera app, CamGuard as root",
  () => {
    const name = `cgt-stop-${randomBytes(4).toString('hex')}`
    afterAll(() => void spawnSync('userdel', [name]))

    it('is refused and left running, although it uses the camera', { timeout: 60_000 }, async () => {
      const add = spawnSync(
        'useradd',
        ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name],
        {
          encoding: 'utf8',
        },
      )
      expect(add.status, add.stderr).toBe(0)
      const uid = Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim())
      const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim())
      const cam = camera()
      const child = spawn(
        'setpriv',
        [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', PYTHON, HOLDER, cam.device, 'map'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      )
      started.push(() => child.kill('SIGKILL'))
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve())
        child.once('exit', (code) => reject(new Error(`holder exited (${code})`)))
      })
      const pid = child.pid!
      expect(processIdentity(pid)?.uid).toBe(uid)
      // The detector names it: the refusal is about its owner, not about the camera.
      expect((await cam.options().usersNow()).map((u) => u.pid)).toContain(pid)
      const result = await stopApp({ pid }, cam.options({ graceMs: 300 }))
      expect(result).toMatchObject({ ok: false, outcome: 'refused' })
      expect(result.message).toMatch(/another user/)
      expect(alive(pid)).toBe(true)
    })
  },
)
