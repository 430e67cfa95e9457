#!/usr/bin/env node
import { existsSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'

// A monitor runs all day and mostly waits: V8 should favour memory over speed. A small young
// generation and size-optimised code keep the peak of `camguard watch` about 12 MB lower (bench/).
// Set before any of CamGuard's code is loaded, so the heap grows under these rules from the start.
setFlagsFromString('--optimize-for-size --max-semi-space-size=1')

const entry = new URL('../dist/cli/index.js', import.meta.url)
if (!existsSync(entry)) {
  process.stderr.write(
    'camguard: the command is not built yet. Run "npm run build:cli" (npm ci does it for you).\n',
  )
  process.exit(1)
}
await import(entry.href)
