#!/usr/bin/env node
// `npm start`: the tray app where Electron can run; otherwise say why, plainly, and start the
// headless monitor (`camguard watch`) so the camera is still watched.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const electronDir = join(root, 'node_modules', 'electron')

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt')
  const read = () =>
    existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null
  let binary = read()
  if (binary && existsSync(binary)) return { binary }
  if (!existsSync(join(electronDir, 'install.js'))) return { reason: 'the electron package is not installed' }
  // npm does not run Electron's download script unless approved; fetch the binary on first start.
  process.stdout.write('Fetching the Electron runtime (first start only)...\n')
  const got = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    encoding: 'utf8',
    timeout: 300_000,
  })
  binary = read()
  if (got.status === 0 && binary && existsSync(binary)) return { binary }
  const why = `${got.stderr || got.stdout || got.error || ''}`.split('\n').find((l) => /error/i.test(l))
  return {
    reason: `the Electron runtime could not be downloaded${why ? ` (${why.trim().slice(0, 160)})` : ''}`,
  }
}

function displayProblem() {
  if (process.platform !== 'linux') return null
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return null
  return 'there is no graphical desktop here (neither DISPLAY nor WAYLAND_DISPLAY is set)'
}

function run(cmd, args) {
  const child = spawn(cmd, args, { stdio: 'inherit', cwd: root })
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
}

const electron = electronBinary()
const problem = electron.reason ?? displayProblem()

if (!problem) {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      stdio: 'inherit',
      cwd: root,
    },
  )
  if (build.status !== 0) process.exit(build.status ?? 1)
  run(electron.binary, ['.'])
} else {
  process.stdout.write(
    [
      '',
      `CamGuard's tray app cannot start on this machine: ${problem}.`,
      'The tray app needs the Electron runtime and a graphical desktop. Instead, CamGuard is',
      'starting its headless monitor, which watches the camera from this terminal, prints each',
      'change, and sends desktop notifications where the system can show them. It records the',
      'same history and uses the same settings as the app. Press Ctrl+C to stop it.',
      'Other commands: npx camguard status | log | trust <app> | guide (npx camguard --help).',
      '',
    ].join('\n') + '\n',
  )
  if (!existsSync(join(root, 'dist', 'cli', 'index.js'))) {
    spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.cli.json'],
      {
        stdio: 'inherit',
        cwd: root,
      },
    )
  }
  run(process.execPath, [join(root, 'bin', 'camguard.js'), 'watch'])
}
