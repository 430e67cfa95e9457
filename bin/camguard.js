#!/usr/bin/env node
import { existsSync } from 'node:fs'

const entry = new URL('../dist/cli/index.js', import.meta.url)
if (!existsSync(entry)) {
  process.stderr.write(
    'camguard: the command is not built yet. Run "npm run build:cli" (npm ci does it for you).\n',
  )
  process.exit(1)
}
await import(entry.href)
