import { homedir } from 'node:os'
import { errorMessage } from '../core/files.js'
import { FATAL, packageVersion, run } from './program.js'

// The `camguard` command: argv -> core -> stdout / exit code.
const code = await run(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
  env: process.env,
  platform: process.platform,
  home: homedir(),
  version: packageVersion(),
  // A closed terminal (SIGHUP) and an unexpected error end a running monitor the same way as
  // Ctrl+C: through its clean-up, so no lock or control socket is left behind.
  stopSignal: () =>
    new Promise((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
        process.once(signal, () => resolve(signal))
      const fatal = (err: unknown) => resolve(`${FATAL}${errorMessage(err)}`)
      process.once('uncaughtException', fatal)
      process.once('unhandledRejection', fatal)
    }),
})
process.exitCode = code
