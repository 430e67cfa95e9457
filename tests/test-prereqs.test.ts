// The first step of `npm test` (scripts/test-prereqs.mjs): what it decides, says and runs for a
// machine described to it, and its two real probes on this machine.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  dpkgInstalled,
  ensurePackages,
  installCommand,
  readPackages,
  STALE_LISTS_MS,
  type Machine,
} from '../scripts/test-prereqs.mjs'

const PACKAGES = [
  { package: 'xvfb', why: 'a virtual X display', programs: ['xvfb-run'] },
  { package: 'dunst', why: 'a real notification server', programs: ['dunst'] },
  { package: 'psmisc', why: 'fuser', programs: ['fuser'] },
]

/** A machine where `installedAtStart` are installed; apt-get installs what it is asked unless `aptFails`. */
function machine(over: Partial<Machine> & { installedAtStart?: string[]; aptFails?: number } = {}) {
  const { installedAtStart = [], aptFails = 0, ...rest } = over
  const installed = new Set(installedAtStart)
  const apt: string[][] = []
  const said: string[] = []
  const complaints: string[] = []
  let failuresLeft = aptFails
  const m: Machine = {
    platform: 'linux',
    isRoot: true,
    hasDpkg: true,
    hasAptGet: true,
    installed: (names) => new Set(names.filter((n) => installed.has(n))),
    onPath: () => true,
    listsAgeMs: () => 60_000,
    aptGet(args) {
      apt.push(args)
      if (args.includes('install')) {
        if (failuresLeft > 0) {
          failuresLeft--
          return { status: 100 }
        }
        for (const name of args.slice(args.indexOf('--no-install-recommends') + 1)) installed.add(name)
      }
      return { status: 0 }
    },
    say: (t) => said.push(t),
    complain: (t) => complaints.push(t),
    ...rest,
  }
  return { m, apt, said, complaints, installed }
}

describe('the prerequisite step of npm test', () => {
  it('does nothing and goes on when every package is installed', () => {
    const { m, apt, said, complaints } = machine({ installedAtStart: ['xvfb', 'dunst', 'psmisc'] })
    expect(ensurePackages(PACKAGES, m)).toBe(0)
    expect([apt, said, complaints]).toEqual([[], [], []])
  })

  it('not root: stops before any test with the exact command for the missing packages only', () => {
    const { m, apt, said, complaints } = machine({ isRoot: false, installedAtStart: ['psmisc'] })
    expect(ensurePackages(PACKAGES, m)).toBe(1)
    expect(apt).toEqual([])
    expect(said).toEqual([])
    expect(complaints).toHaveLength(1)
    const text = complaints[0]!
    expect(text).toContain('npm test needs these Debian packages, which are not installed:')
    expect(text).toMatch(/^ {2}xvfb +a virtual X display$/m)
    expect(text).toMatch(/^ {2}dunst +a real notification server$/m)
    expect(text).not.toMatch(/psmisc/)
    expect(text).toContain('\n  sudo apt-get install -y --no-install-recommends xvfb dunst\n')
  })

  it('not root with empty or stale package lists: the command updates them first', () => {
    for (const age of [null, STALE_LISTS_MS + 1]) {
      const { m, complaints } = machine({ isRoot: false, listsAgeMs: () => age })
      expect(ensurePackages(PACKAGES, m)).toBe(1)
      expect(complaints[0]).toContain(
        '  sudo apt-get update && sudo apt-get install -y --no-install-recommends xvfb dunst psmisc\n',
      )
    }
  })

  it('root without apt-get: stops with the command, runs nothing', () => {
    const { m, apt, complaints } = machine({ hasAptGet: false })
    expect(ensurePackages(PACKAGES, m)).toBe(1)
    expect(apt).toEqual([])
    expect(complaints[0]).toContain('sudo apt-get install -y --no-install-recommends xvfb dunst psmisc')
  })

  it('root with recent lists: installs just the missing packages, saying which and why', () => {
    const { m, apt, said, complaints, installed } = machine({ installedAtStart: ['dunst'] })
    expect(ensurePackages(PACKAGES, m)).toBe(0)
    expect(apt).toEqual([
      ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-q', '--no-install-recommends', 'xvfb', 'psmisc'],
    ])
    expect(said[0]).toMatch(
      /^npm test: installing the Debian packages the tests need:\n {2}xvfb +a virtual X display\n/,
    )
    expect(said[0]).toMatch(/^ {2}psmisc +fuser$/m)
    expect(said.at(-1)).toBe('npm test: installed xvfb, psmisc.')
    expect(complaints).toEqual([])
    expect([...installed].sort()).toEqual(['dunst', 'psmisc', 'xvfb'])
  })

  it('root with empty or stale lists: apt-get update first, then install', () => {
    for (const age of [null, STALE_LISTS_MS + 1]) {
      const { m, apt, said } = machine({ listsAgeMs: () => age })
      expect(ensurePackages(PACKAGES, m)).toBe(0)
      expect(apt.map((a) => a.find((x) => x === 'update' || x === 'install'))).toEqual(['update', 'install'])
      expect(said).toContain('npm test: updating the package lists first (apt-get update)')
    }
  })

  it('root: when an install from recent lists fails, updates them once and tries again', () => {
    const { m, apt } = machine({ aptFails: 1 })
    expect(ensurePackages(PACKAGES, m)).toBe(0)
    expect(apt.map((a) => a.find((x) => x === 'update' || x === 'install'))).toEqual([
      'install',
      'update',
      'install',
    ])
  })

  it('root: when apt-get cannot install, stops before the tests and says what failed', () => {
    const { m, complaints } = machine({ aptFails: 2 })
    expect(ensurePackages(PACKAGES, m)).toBe(1)
    expect(complaints[0]).toMatch(/^npm test: apt-get could not install xvfb, dunst, psmisc/)
    expect(complaints[0]).toContain('the tests were not started')
  })

  it('root: a failed apt-get update stops before installing', () => {
    const { m, apt, complaints } = machine({
      listsAgeMs: () => null,
      aptGet: (args) => {
        apt.push(args)
        return { status: 100 }
      },
    })
    expect(ensurePackages(PACKAGES, m)).toBe(1)
    expect(apt).toEqual([['update', '-q']])
    expect(complaints[0]).toMatch(/apt-get update failed/)
  })

  it('without dpkg: checks the programs instead and names their Debian packages', () => {
    const { m, complaints } = machine({ hasDpkg: false, onPath: (p) => p !== 'dunst' })
    expect(ensurePackages(PACKAGES, m)).toBe(1)
    expect(complaints[0]).toContain('dunst (Debian: dunst)')
    expect(ensurePackages(PACKAGES, machine({ hasDpkg: false }).m)).toBe(0)
  })

  it('on macOS and Windows asks for nothing (the tests that need these run on Linux only)', () => {
    for (const platform of ['darwin', 'win32']) {
      const { m, apt, complaints } = machine({ platform })
      expect(ensurePackages(PACKAGES, m)).toBe(0)
      expect([apt, complaints]).toEqual([[], []])
    }
  })

  it('installCommand is one line a person can paste', () => {
    expect(installCommand(['a', 'b'], false)).toBe('sudo apt-get install -y --no-install-recommends a b')
    expect(installCommand(['a'], true)).toBe(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends a',
    )
  })
})

describe('the declared package list', () => {
  it('names each package once, each with a reason', () => {
    const list = readPackages()
    expect(list.length).toBeGreaterThan(0)
    expect(new Set(list.map((p) => p.package)).size).toBe(list.length)
    for (const p of list) expect(p.why.length, p.package).toBeGreaterThan(10)
  })

  it("is what the README's Tests section says npm test may install, and no more", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const section = /^## Tests\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? ''
    const step = section.slice(0, section.indexOf('\n2. '))
    const named = new Set(
      [...step.matchAll(/^ {3}- (.*?):/gm)].flatMap((m) => m[1]!.match(/(?<=`)[\w.-]+(?=`)/g) ?? []),
    )
    expect([...named].sort()).toEqual(
      readPackages()
        .map((p) => p.package)
        .sort(),
    )
  })

  it('holds none of what detection or the test browser once needed from the system', () => {
    const names = readPackages().map((p) => p.package)
    for (const gone of ['inotify-tools', 'chromium', 'chromium-headless-shell', 'lsof'])
      expect(names).not.toContain(gone)
  })
})

describe.runIf(process.platform === 'linux')('dpkg probe on this machine', () => {
  it('reads installed packages from dpkg and ignores names it does not know', () => {
    const installed = dpkgInstalled(['dpkg', 'camguard-no-such-package'])
    expect(installed.has('dpkg')).toBe(true)
    expect(installed.has('camguard-no-such-package')).toBe(false)
  })
})
