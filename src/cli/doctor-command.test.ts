import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { fakeMac, fakeRunner, fakeStreams } from '../../tests/support/native-fakes.js'
import { createDarwinDetector } from '../core/camera/darwin.js'
import { runDoctor, type DoctorReport } from '../core/doctor.js'
import { formatDoctor } from './doctor-command.js'
import { run } from './program.js'

describe('doctor in the terminal', () => {
  it('writes out the control characters a device name carries instead of sending them', async () => {
    const mac = fakeMac({
      devices: [
        { id: 9, uid: 'u\u202e', name: 'Cam\u001b[2J\nfake line', transport: 'usb ', running: false },
      ],
    })
    const detector = createDarwinDetector({
      runner: fakeRunner().runner,
      spawnLines: fakeStreams().spawnLines,
      native: mac.loaded,
      administrator: true,
    })
    const text = formatDoctor(await runDoctor({ detector, platform: 'darwin', version: '1.0.0' }))
    expect(text).toContain('Cam\\x1b[2J\\x0afake line: not in use [u\\u202e]')
    for (const raw of ['\u001b', '\u202e']) expect(text).not.toContain(raw)
    expect(text).toMatch(/Detection works here: yes/)
  })
})

describe('camguard doctor exit codes', () => {
  const sink = () => {
    let text = ''
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString()
        done()
      },
    })
    return { stream, text: () => text }
  }
  const doctor = async (platform: NodeJS.Platform, args: string[]) => {
    const data = mkdtempSync(join(tmpdir(), 'camguard-doctor-'))
    try {
      const out = sink()
      const err = sink()
      const code = await run(['doctor', ...args, '--data-dir', data], {
        out: out.stream,
        err: err.stream,
        env: {},
        platform,
        home: data,
        version: '1.0.0',
      })
      return { code, out: out.text(), err: err.text() }
    } finally {
      rmSync(data, { recursive: true, force: true })
    }
  }

  it('exits 1 with one line on stderr where the native calls of the system cannot load (Windows calls here)', async () => {
    if (process.platform === 'win32') return // there they load
    const r = await doctor('win32', ['--json'])
    expect(r.code).toBe(1)
    const report = JSON.parse(r.out) as DoctorReport
    expect(report).toMatchObject({
      ok: false,
      state: 'unknown',
      detector: 'win32-consent',
      native: { ok: false, detail: expect.stringMatching(/only on Windows/) },
      mode: 'poll',
    })
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/^camguard: cannot ask Windows/)])
  })

  it('exits 1 on a system CamGuard cannot watch, and says so in words', async () => {
    const r = await doctor('freebsd', [])
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^Camera: +unknown \(.*freebsd/m)
    expect(r.out).toMatch(/Detection works here: no\./)
    expect(r.err).toMatch(/^camguard: .*freebsd/)
  })
})
