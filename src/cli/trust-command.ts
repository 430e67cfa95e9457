// camguard trust / untrust / trusted: trust by identity. A name is resolved to the executables of
// the apps that use (or recently used) a device; a path is taken as the executable itself. Older
// name-only entries are listed as weaker and upgraded with `trust --upgrade`.
import { realpathSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import type { SettingsStore } from '../core/ports.js'
import {
  NAME_ONLY_WORDS,
  addTrust,
  baseName,
  describeTrust,
  entriesNamed,
  isNameOnly,
  resolveTrust,
  trustEntries,
  trustEntryFor,
  trustInstead,
  upgradeTrust,
  type SeenApp,
  type TrustEntry,
} from '../shared/trust.js'
import { DEVICE_KINDS, type DeviceKind } from '../shared/types.js'
import { RuntimeError, UsageError } from './errors.js'
import { settingRefused } from './settings.js'

export interface TrustCommandDeps {
  say: (text: string) => void
  settings: () => SettingsStore & { close(): void }
  /** The apps using a device now and in the last history records. */
  seen: () => Promise<SeenApp[]>
}

const TRUST_HELP = `
CamGuard trusts a program by what the system says it runs (its executable file), never by the
name it gives itself: any program can call itself "zoom". A program that takes a trusted app's
name but runs another file gets an alert that says so.

  camguard trust zoom              trust the program(s) named zoom that use the camera or the
                                   microphone now (or did in the last sessions)
  camguard trust /opt/zoom/zoom    trust that executable file
  camguard trust zoom --kind microphone
                                   trust it for the microphone only (camera, microphone, or
                                   camera,microphone; without --kind, the devices it was seen
                                   using, or the camera for a path)
  camguard untrust zoom --kind camera
                                   keep trusting it for the microphone, not the camera
  camguard trust --upgrade         replace entries trusted by name only (from older versions)
                                   with the executable the app runs now

Programs run by an interpreter or a launcher (python, node, java, sh, flatpak...) cannot be
trusted: trusting the interpreter would trust every script it runs.`

/** --kind: "camera", "microphone", or both ("camera,microphone"). */
export function kindsArg(text: string): DeviceKind[] {
  const words = text
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean)
  const wrong = words.filter((w) => !(DEVICE_KINDS as readonly string[]).includes(w))
  if (words.length === 0 || wrong.length)
    throw new InvalidArgumentError(
      `--kind takes camera, microphone or camera,microphone${wrong.length ? `, not ${JSON.stringify(wrong[0])}` : ''}`,
    )
  return [...new Set(words)] as DeviceKind[]
}

const looksLikePath = (what: string) => what.includes('/') || what.includes('\\')

function listWords(entries: TrustEntry[]): string {
  return entries.map((e) => `${describeTrust(e)}`).join('; ')
}

export function trustCommands(deps: TrustCommandDeps): Command[] {
  const save = (store: SettingsStore, next: TrustEntry[]) => {
    const result = store.set('trustedApps', next)
    if (!result.ok) throw settingRefused(result, 'Nothing was changed.')
  }
  const withStore = async <T>(
    fn: (store: SettingsStore, list: TrustEntry[]) => Promise<T> | T,
  ): Promise<T> => {
    const store = deps.settings()
    try {
      return await fn(store, trustEntries(store.get().trustedApps))
    } finally {
      store.close()
    }
  }

  const trustPath = (path: string, kinds: DeviceKind[]): TrustEntry => {
    let exe: string
    try {
      exe = realpathSync(resolve(path))
      if (!statSync(exe).isFile()) throw new Error('not a file')
    } catch {
      throw new UsageError(`${path} is not a program file here. Give the full path of the app's executable.`)
    }
    const made = trustEntryFor({ name: baseName(exe), exe }, kinds)
    if (!made.ok) throw new RuntimeError(`${made.why}.`)
    return made.entry
  }

  const trustName = async (name: string, kinds: DeviceKind[] | undefined): Promise<TrustEntry[]> => {
    const found = resolveTrust(name, await deps.seen(), kinds)
    if (found.entries.length) return found.entries
    if (found.refused.length) throw new RuntimeError(`${found.refused[0]!.why}.`)
    throw new RuntimeError(
      `${name} is not using the camera or the microphone now and is not in the recent history, so CamGuard cannot tell which program it is. Start ${name} and run this again, or give the path of its program: camguard trust /path/to/${name}`,
    )
  }

  const upgrade = (store: SettingsStore, list: TrustEntry[], seen: SeenApp[]) => {
    if (!list.some(isNameOnly)) {
      deps.say('Every trusted app is already trusted by its executable.')
      return
    }
    const result = upgradeTrust(list, seen)
    if (result.upgraded.length) save(store, result.list)
    for (const u of result.upgraded)
      deps.say(`${u.from.name} is now trusted by its executable: ${listWords(u.to)}.`)
    for (const e of result.left) {
      deps.say(
        `${e.name} is still trusted by name only (weaker): it is not running now. Start it and run "camguard trust --upgrade" again, or "camguard trust /path/to/${e.name}".`,
      )
    }
  }

  const trust = new Command('trust')
    .description('trust an app by its executable: it may use the camera or microphone without an alert')
    .argument('[app]', 'the name of a running app (as CamGuard shows it), or the path of its executable')
    .option('--upgrade', 'trust the executables of apps now trusted by name only (weaker)')
    .option('--kind <kinds>', 'only for this device: camera, microphone or camera,microphone', kindsArg)
    .addHelpText('after', TRUST_HELP)
    .action(async (app: string | undefined, opts: { upgrade?: boolean; kind?: DeviceKind[] }) => {
      const what = app?.trim() ?? ''
      if (opts.upgrade) {
        if (what || opts.kind) throw new UsageError('give either an app (and --kind) or --upgrade, not both')
        const seen = await deps.seen()
        await withStore((store, list) => upgrade(store, list, seen))
        return
      }
      if (!what) throw new UsageError('give the name of the app to trust, for example: camguard trust zoom')
      const kinds = opts.kind
      const entries = looksLikePath(what)
        ? [trustPath(what, kinds ?? ['camera'])]
        : await trustName(what, kinds)
      await withStore((store, list) => {
        const next = looksLikePath(what) ? entries.reduce(addTrust, list) : trustInstead(list, what, entries)
        save(store, next)
        for (const e of entries) deps.say(`Trusted ${describeTrust(e)}.`)
      })
    })

  const untrust = new Command('untrust')
    .description('remove an app from the trusted list (or only one device of it, with --kind)')
    .argument('<app>', 'the app name, or the path of its executable')
    .option('--kind <kinds>', 'only for this device: camera, microphone or camera,microphone', kindsArg)
    .action((app: string, opts: { kind?: DeviceKind[] }) =>
      withStore((store, list) => {
        const drop = opts.kind ?? DEVICE_KINDS
        const named = entriesNamed(list, app).filter((e) => e.kinds.some((k) => drop.includes(k)))
        if (named.length === 0) {
          deps.say(
            `${app.trim()} was not on the trusted list${opts.kind ? ` for the ${opts.kind.join(' or ')}` : ''}.`,
          )
          return
        }
        // An entry keeps the devices not named; one left with none is removed.
        const next = list.flatMap((e) => {
          if (!named.includes(e)) return [e]
          const kinds = e.kinds.filter((k) => !drop.includes(k))
          return kinds.length ? [{ ...e, kinds }] : []
        })
        save(store, next)
        for (const e of named) {
          const kept = e.kinds.filter((k) => !drop.includes(k))
          deps.say(
            kept.length
              ? `${describeTrust(e)}: now trusted for the ${kept.join(' and ')} only.`
              : `No longer trusted: ${describeTrust(e)}.`,
          )
        }
      }),
    )

  const trusted = new Command('trusted')
    .description('list the trusted apps, and which are trusted by name only (weaker)')
    .option('--json', 'as JSON: { exe, name, kinds }, exe null for an entry by name only')
    .action((opts: { json?: boolean }) =>
      withStore((_store, list) => {
        if (opts.json) deps.say(JSON.stringify(list))
        else if (list.length === 0)
          deps.say('No trusted apps yet. Every app that turns the camera on gets an alert.')
        else {
          for (const e of list) deps.say(describeTrust(e))
          if (list.some(isNameOnly))
            deps.say(`An entry ${NAME_ONLY_WORDS} Run "camguard trust --upgrade" while the app is running.`)
        }
      }),
    )
  return [trust, untrust, trusted]
}
