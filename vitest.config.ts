import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Integration tests start real processes and real Chromium on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    // Test files share a worker's module cache instead of loading vitest, fast-check, zod, playwright
    // and the code again for each file: about a fifth less CPU for the whole suite. Safe because
    // no test mocks a module or changes process-wide state; dependencies are injected instead.
    isolate: false,
    // Most files wait on real processes, D-Bus or Chromium: a third worker fills the cores they
    // leave idle (fresh clone: 4 min 21 s with two workers, 2 min 51 s with three).
    maxWorkers: 3,
  },
})
