// A real desktop notification session for tests: notify-session.sh under xvfb-run and
// dbus-run-session (dunst on a private session bus, dbus-monitor recording every Notify call),
// and a reader for what dbus-monitor recorded.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './processes.js'
import { requirePrograms, startSessionScript } from './session-script.js'

const SCRIPT = join(ROOT, 'tests/support/notify-session.sh')

/** The Debian packages of tests/system-packages.json that this session runs programs from. */
const SESSION_PACKAGES = ['dbus', 'dbus-x11', 'xvfb', 'xauth', 'dunst', 'libnotify-bin']

/** One org.freedesktop.Notifications.Notify call as dbus-monitor printed it. */
export interface NotifyCall {
  appName: string
  replacesId: number
  icon: string
  summary: string
  body: string
  /** Hint name -> value as printed, e.g. urgency -> "2", sender-pid -> "1234". */
  hints: Record<string, string>
  /** 0 low, 1 normal, 2 critical; null when not given. */
  urgency: number | null
  expireTimeout: number | null
}

/** Reads dbus-monitor's text output; keeps only Notify method calls. */
export function parseNotifyLog(text: string): NotifyCall[] {
  const blocks = text.split(/^(?=(?:method call|method return|signal|error) time=)/m)
  const calls: NotifyCall[] = []
  for (const block of blocks) {
    const nl = block.indexOf('\n')
    const header = nl < 0 ? block : block.slice(0, nl)
    if (!header.startsWith('method call') || !/member=Notify$/.test(header.trim())) continue
    const args = block.slice(nl + 1)
    // app_name, replaces_id, app_icon, summary, body, then the actions array. The body may span lines.
    const m =
      /^\s*string "(.*)"\n\s*uint32 (\d+)\n\s*string "(.*)"\n\s*string "([\s\S]*?)"\n\s*string "([\s\S]*?)"\n\s*array \[/.exec(
        args,
      )
    if (!m) throw new Error(`cannot read this Notify call from dbus-monitor:\n${block}`)
    const hints: Record<string, string> = {}
    for (const h of args.matchAll(/dict entry\(\n\s*string "([^"]*)"\n\s*variant\s+\w+ (.*)\n/g)) {
      hints[h[1]!] = h[2]!.replace(/^"(.*)"$/, '$1')
    }
    const expire = /int32 (-?\d+)\s*$/.exec(args)
    calls.push({
      appName: m[1]!,
      replacesId: Number(m[2]),
      icon: m[3]!,
      summary: m[4]!,
      body: m[5]!,
      hints,
      urgency: hints.urgency === undefined ? null : Number(hints.urgency),
      expireTimeout: expire ? Number(expire[1]) : null,
    })
  }
  return calls
}

export interface NotifySession {
  /** DBUS_SESSION_BUS_ADDRESS and DISPLAY of the session: give them to the programs under test. */
  env: { DBUS_SESSION_BUS_ADDRESS: string; DISPLAY: string }
  logDir: string
  /** Every Notify call so far. */
  calls(): NotifyCall[]
  /** Waits for Notify calls that pass `test` (at least `count`); fails with what was seen. */
  waitFor(
    test: (c: NotifyCall) => boolean,
    what: string,
    timeoutMs?: number,
    count?: number,
  ): Promise<NotifyCall[]>
  /**
   * Lets notifications already on their way arrive, then sends one of our own (app name "probe")
   * and waits for it to be recorded: what was sent before it is then in the log, ready to count.
   */
  settle(): Promise<void>
  close(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Starts the session; rejects with a clear message when a program is missing or it does not come up. */
export async function startNotifySession(timeoutMs = 30_000): Promise<NotifySession> {
  requirePrograms(SESSION_PACKAGES, 'The notification tests need a desktop session')
  // xvfb-run -a can lose a race for a display number with another test starting Xvfb: try again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(timeoutMs)
    } catch (err) {
      if (attempt >= 3) throw err
      await sleep(500 * attempt)
    }
  }
}

async function startOnce(timeoutMs: number): Promise<NotifySession> {
  const logDir = mkdtempSync(join(tmpdir(), 'camguard-notify-'))
  let script
  try {
    script = await startSessionScript<{ dbus: string; display: string }>(
      'xvfb-run',
      ['-a', 'dbus-run-session', '--', 'bash', SCRIPT, logDir],
      'the notification session',
      timeoutMs,
    )
  } catch (e) {
    rmSync(logDir, { recursive: true, force: true })
    throw e
  }
  const env = { DBUS_SESSION_BUS_ADDRESS: script.ready.dbus, DISPLAY: script.ready.display }
  const { close: closeScript } = script
  async function close(): Promise<void> {
    await closeScript()
    rmSync(logDir, { recursive: true, force: true })
  }

  const logFile = join(logDir, 'notify.log')
  const calls = () => (existsSync(logFile) ? parseNotifyLog(readFileSync(logFile, 'utf8')) : [])
  let probes = 0

  const session: NotifySession = {
    env,
    logDir,
    calls,
    async waitFor(test, what, waitMs = 30_000, count = 1) {
      const until = Date.now() + waitMs
      for (;;) {
        const found = calls().filter(test)
        if (found.length >= count) return found
        if (Date.now() > until) {
          throw new Error(
            `no ${what} arrived within ${waitMs} ms; Notify calls seen:\n${JSON.stringify(calls(), null, 2)}\n` +
              `dbus-monitor's log ends with:\n${existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-1500) : '(no log)'}`,
          )
        }
        await sleep(100)
      }
    },
    async settle() {
      // A notify-send CamGuard started just now may still be on its way; give it a moment.
      await sleep(1500)
      const id = `probe ${++probes}`
      const r = spawnSync('notify-send', ['--app-name', 'probe', id, id], {
        env: { ...process.env, ...env },
        timeout: 10_000,
        encoding: 'utf8',
      })
      if (r.status !== 0) throw new Error(`notify-send failed: ${r.stderr || r.error?.message}`)
      await session.waitFor((c) => c.appName === 'probe' && c.summary === id, id)
    },
    close,
  }
  return session
}
