#!/usr/bin/env node
// npm links the bins of dependencies, not the project's own: link ours so that `npx camguard`
// works in this checkout right after `npm ci`.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const binDir = join(root, 'node_modules', '.bin')
const target = join(root, 'bin', 'camguard.js')
mkdirSync(binDir, { recursive: true })
for (const name of process.platform === 'win32' ? [] : ['camguard']) {
  const link = join(binDir, name)
  rmSync(link, { force: true })
  symlinkSync(relative(binDir, target), link)
}
chmodSync(target, 0o755)
