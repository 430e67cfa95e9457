import { homedir } from 'node:os'
import { packageVersion, run } from './program.js'

// The `camguard` command: argv -> core -> stdout / exit code.
const code = await run(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
  env: process.env,
  platform: process.platform,
  home: homedir(),
  version: packageVersion(),
  stopSignal: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'))
      process.once('SIGTERM', () => resolve('SIGTERM'))
    }),
})
process.exitCode = code
