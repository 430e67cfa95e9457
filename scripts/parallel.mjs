#!/usr/bin/env node
// Runs npm scripts at the same time (`npm test` runs the tests and the static checks together, which
// share two cores better than one after the other). The first script's output is shown as it comes;
// each other script's output is held and shown whole when it ends, so nothing interleaves. The
// others run at a lower priority, so the first keeps the CPU it needs. Ends with each script's time,
// and fails if any script failed.
//   node scripts/parallel.mjs test:unit typecheck lint
import { spawn } from 'node:child_process'
import { setPriority } from 'node:os'

const names = process.argv.slice(2)
if (names.length === 0) {
  process.stderr.write('usage: node scripts/parallel.mjs <npm script>...\n')
  process.exit(2)
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const started = Date.now()
const seconds = (ms) => `${Math.round(ms / 1000)} s`

const runs = names.map((name, i) => {
  const live = i === 0
  const child = spawn(npm, ['run', '--silent', name], {
    stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  })
  if (!live && child.pid) {
    try {
      setPriority(child.pid, 10)
    } catch {
      // Not allowed here: same priority, only slower.
    }
  }
  const chunks = []
  child.stdout?.on('data', (d) => chunks.push(d))
  child.stderr?.on('data', (d) => chunks.push(d))
  return new Promise((resolve) => {
    child.on('error', (err) =>
      resolve({ name, code: 1, ms: Date.now() - started, output: `${err.message}\n` }),
    )
    child.on('close', (code, signal) => {
      const result = { name, code: code ?? (signal ? 1 : 0), ms: Date.now() - started }
      if (!live) {
        const output = Buffer.concat(chunks).toString()
        const status = result.code === 0 ? 'passed' : `FAILED (exit ${result.code})`
        process.stdout.write(`\n── npm run ${name}: ${status} after ${seconds(result.ms)}\n${output}`)
      }
      resolve(result)
    })
  })
})

const results = await Promise.all(runs)
const summary = results
  .map((r) => `${r.name} ${r.code === 0 ? 'passed' : 'FAILED'} (${seconds(r.ms)})`)
  .join(', ')
process.stdout.write(`\n── ${summary}; ${seconds(Date.now() - started)} in all\n`)
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0
