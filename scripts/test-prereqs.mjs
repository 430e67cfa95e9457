#!/usr/bin/env node
// The first step of `npm test`: the few Debian packages the tests need (tests/system-packages.json,
// the one list, each with the reason it is there) must be installed before any test starts. As root
// with apt-get (CI, containers) the missing ones are installed, saying which and why; otherwise this
// stops at once with the exact command to run. The convention of `playwright install --with-deps`.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, readFileSync, readdirSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** @typedef {{ package: string, why: string, programs: string[] }} SystemPackage */
/** @typedef {{ status: number | null }} RunResult */
/**
 * What the decision needs to know about the machine, and the two things it may do to it.
 * @typedef {object} Machine
 * @property {string} platform process.platform
 * @property {boolean} isRoot
 * @property {boolean} hasDpkg whether dpkg-query is there (a Debian-like system)
 * @property {boolean} hasAptGet
 * @property {(names: string[]) => Set<string>} installed which of these packages dpkg has installed
 * @property {(program: string) => boolean} onPath
 * @property {() => number | null} listsAgeMs age of apt's package lists; null when there are none
 * @property {(args: string[]) => RunResult} aptGet runs apt-get with these arguments, output shown
 * @property {(text: string) => void} say progress, on stdout
 * @property {(text: string) => void} complain why the tests cannot start, on stderr
 */

export const PACKAGES_FILE = fileURLToPath(new URL('../tests/system-packages.json', import.meta.url))

/** Lists older than this may name package versions the mirror no longer has. */
export const STALE_LISTS_MS = 24 * 60 * 60 * 1000

const INSTALL = ['install', '-y', '-q', '--no-install-recommends']
// Wait for another apt or dpkg run to finish (a second `npm test`, an unattended upgrade).
const WAIT_FOR_LOCK = ['-o', 'DPkg::Lock::Timeout=300']

/** @returns {SystemPackage[]} */
export function readPackages(file = PACKAGES_FILE) {
  return JSON.parse(readFileSync(file, 'utf8'))
}

/** @param {SystemPackage[]} packages */
function describe(packages) {
  const width = Math.max(...packages.map((p) => p.package.length))
  return packages.map((p) => `  ${p.package.padEnd(width)}  ${p.why}`).join('\n')
}

/** The command a person should run, on one line. @param {string[]} names @param {boolean} update */
export function installCommand(names, update) {
  const install = `sudo apt-get install -y --no-install-recommends ${names.join(' ')}`
  return update ? `sudo apt-get update && ${install}` : install
}

/** @param {number | null} ageMs */
const needsUpdate = (ageMs) => ageMs === null || ageMs > STALE_LISTS_MS

/**
 * Checks, and installs where it may. Returns the exit code: 0 to go on with the tests, 1 to stop.
 * @param {SystemPackage[]} packages
 * @param {Machine} machine
 * @returns {number}
 */
export function ensurePackages(packages, machine) {
  // The tests that need these programs run on Linux only.
  if (machine.platform !== 'linux') return 0

  if (!machine.hasDpkg) {
    const missing = packages.flatMap((p) =>
      p.programs
        .filter((program) => !machine.onPath(program))
        .map((program) => `${program} (Debian: ${p.package})`),
    )
    if (missing.length === 0) return 0
    machine.complain(
      `npm test needs programs this system does not have: ${missing.join(', ')}.\n` +
        'Install them with your system package manager, then run npm test again.',
    )
    return 1
  }

  const missingNow = () => {
    const installed = machine.installed(packages.map((p) => p.package))
    return packages.filter((p) => !installed.has(p.package))
  }
  const missing = missingNow()
  if (missing.length === 0) return 0
  const names = missing.map((p) => p.package)

  if (!machine.isRoot || !machine.hasAptGet) {
    machine.complain(
      [
        'npm test needs these Debian packages, which are not installed:',
        describe(missing),
        '',
        'Install them (as root), then run npm test again:',
        '',
        `  ${installCommand(names, needsUpdate(machine.listsAgeMs()))}`,
        '',
      ].join('\n'),
    )
    return 1
  }

  machine.say(`npm test: installing the Debian packages the tests need:\n${describe(missing)}`)
  let updated = false
  const update = () => {
    machine.say('npm test: updating the package lists first (apt-get update)')
    updated = true
    return machine.aptGet(['update', '-q']).status === 0
  }
  if (needsUpdate(machine.listsAgeMs()) && !update()) {
    machine.complain('npm test: apt-get update failed (see above); the tests were not started.')
    return 1
  }
  let result = machine.aptGet([...WAIT_FOR_LOCK, ...INSTALL, ...names])
  // Lists that looked recent may still point at versions the mirror has dropped: refresh once.
  if (result.status !== 0 && !updated && update()) {
    result = machine.aptGet([...WAIT_FOR_LOCK, ...INSTALL, ...names])
  }
  const still = missingNow()
  if (result.status !== 0 || still.length > 0) {
    machine.complain(
      [
        `npm test: apt-get could not install ${(still.length ? still : missing).map((p) => p.package).join(', ')} ` +
          '(see its output above); the tests were not started. The command was:',
        '',
        `  ${installCommand(names, updated)}`,
        '',
      ].join('\n'),
    )
    return 1
  }
  machine.say(`npm test: installed ${names.join(', ')}.`)
  return 0
}

// ---- This machine ---------------------------------------------------------------------------------

/** Whether `program` is an executable on PATH. @param {string} program */
export function onPath(program) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false
    try {
      accessSync(join(dir, program), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/** @param {string[]} names */
export function dpkgInstalled(names) {
  // Prints a line per known package; unknown names only go to stderr.
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Package}\\t${db:Status-Abbrev}\\n', '--', ...names], {
    encoding: 'utf8',
  })
  const installed = new Set()
  for (const line of (r.stdout ?? '').split('\n')) {
    const [name, status] = line.split('\t')
    if (name && status?.startsWith('ii')) installed.add(name)
  }
  return installed
}

function listsAgeMs(dir = '/var/lib/apt/lists') {
  let newest = 0
  try {
    for (const file of readdirSync(dir)) {
      if (/_Packages(\.\w+)?$/.test(file)) newest = Math.max(newest, statSync(join(dir, file)).mtimeMs)
    }
  } catch {
    return null
  }
  return newest ? Date.now() - newest : null
}

/** @returns {Machine} */
export function thisMachine() {
  return {
    platform: process.platform,
    isRoot: process.getuid?.() === 0,
    hasDpkg: onPath('dpkg-query'),
    hasAptGet: onPath('apt-get'),
    installed: dpkgInstalled,
    onPath,
    listsAgeMs: () => listsAgeMs(),
    aptGet(args) {
      const run = () =>
        spawnSync('apt-get', args, {
          stdio: ['ignore', 'inherit', 'inherit'],
          env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        })
      let result = run()
      // `apt-get update` does not wait for the lists lock another apt run holds: try again a little later.
      for (let i = 0; result.status !== 0 && args[0] === 'update' && i < 5; i++) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000)
        result = run()
      }
      return result
    },
    say: (text) => process.stdout.write(`${text}\n`),
    complain: (text) => process.stderr.write(`${text}\n`),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = ensurePackages(readPackages(), thisMachine())
}
