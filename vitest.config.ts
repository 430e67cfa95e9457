import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Integration tests start real processes and real Chromium on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    // Most files wait on real processes, D-Bus or Chromium: a third worker fills the cores they
    // leave idle (fresh clone: 4 min 21 s with two workers, 2 min 51 s with three).
    maxWorkers: 3,
  },
})
