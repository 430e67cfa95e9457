/** A mistake in how the command was called: exit code 2, one line on stderr saying what to do. */
export class UsageError extends Error {
  readonly exitCode = 2
}

/** Something went wrong while running: exit code 1. */
export class RuntimeError extends Error {
  readonly exitCode = 1
}
