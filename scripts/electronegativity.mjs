#!/usr/bin/env node
// Runs Doyensec's Electronegativity over the sources (src/) and the built app (out/), and fails (exit 1) on any
// MEDIUM or HIGH finding; the tool itself never fails on findings. Uses the programmatic API: its CLI breaks
// against the newer `commander` hoisted in this project's node_modules.
// Usage: node scripts/electronegativity.mjs [dir...]   (default: src out; run `npm run build` first for out/)
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { relative, resolve } from 'node:path'

const require = createRequire(import.meta.url)
const run = require('@doyensec/electronegativity')
const ELECTRON_VERSION = require('electron/package.json').version

/**
 * Findings reviewed and accepted, each for one check in named files only, with the reason. Nothing is excluded
 * globally: a new openExternal call or window elsewhere still fails.
 */
const REVIEWED = [
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: /^(src\/main\/index\.ts|out\/main\/index\.js)$/,
    why:
      'the one shell.openExternal call, handed only to openExternalSafely() and guardWebContents(), which pass ' +
      'nothing but https URLs on the guide allowlist (isAllowedExternalUrl; src/main/security.test.ts)',
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: /^src\/renderer\//,
    why: "window.camguard.openExternal is the bridge call, not Electron's shell; main validates it as above",
  },
]
const reviewed = (issue, file) => REVIEWED.find((r) => r.id === issue.id && r.file.test(file))

const root = resolve(import.meta.dirname, '..')
const dirs = (process.argv.slice(2).length ? process.argv.slice(2) : ['src', 'out']).map((d) =>
  resolve(root, d),
)
const FAIL_AT = 2 // severity values: INFORMATIONAL 0, LOW 1, MEDIUM 2, HIGH 3

const severityOf = (s) => ({ name: String(s?.name ?? s?.format?.() ?? s), value: Number(s?.value ?? 0) })

let failed = 0
let shown = 0
for (const input of dirs) {
  if (!existsSync(input)) {
    console.error(
      `electronegativity: ${relative(root, input)} does not exist (run \`npm run build\` for out/)`,
    )
    process.exit(2)
  }
  // The library logs progress with console.log; keep the report readable.
  const log = console.log
  console.log = () => undefined
  let result
  try {
    result = await run({
      input,
      isRelative: true,
      electronVersionOverride: ELECTRON_VERSION,
      customScan: [],
      parserPlugins: [],
    })
  } finally {
    console.log = log
  }
  // Its parser predates some syntax (e.g. class private fields in the minified renderer bundle); such a file is
  // not scanned, which is said plainly. The renderer's sources under src/ are scanned instead.
  for (const e of result.errors ?? [])
    console.error(`electronegativity: could not parse ${e.file ?? ''}: ${e.message ?? e}`)
  for (const issue of result.issues) {
    const file = relative(root, resolve(input, issue.file))
    const accepted = reviewed(issue, file)
    if (accepted) {
      console.log(`ok   ${issue.id} ${file}:${issue.location?.line ?? '?'} (reviewed: ${accepted.why})`)
      continue
    }
    const sev = severityOf(issue.severity)
    const conf = severityOf(issue.confidence)
    const where = `${file}:${issue.location?.line ?? '?'}:${issue.location?.column ?? '?'}`
    const bad = sev.value >= FAIL_AT
    if (bad) failed++
    shown++
    console.log(
      `${bad ? 'FAIL' : 'note'} ${issue.id} [${sev.name}/${conf.name}] ${where}\n     ${issue.description}`,
    )
  }
}
console.log(
  failed
    ? `electronegativity: ${failed} finding(s) of MEDIUM or HIGH severity`
    : `electronegativity: no MEDIUM or HIGH findings (${shown} lower ones shown above)`,
)
process.exit(failed ? 1 : 0)
