import type { StatusView } from '../../src/shared/ipc.js'

/** A StatusView for tests: camera off, nothing armed, with `over` applied (and `state` as a shortcut). */
export function statusView(
  over: Partial<StatusView> & { state?: 'on' | 'off' | 'unknown' } = {},
): StatusView {
  const { state = 'off', ...rest } = over
  return {
    snapshot: { state, checkedAt: '2026-01-01T10:00:00.000Z', cameras: [], warnings: [] },
    apps: [],
    since: null,
    unexpected: false,
    reasons: [],
    pausedUntil: null,
    snoozedUntil: null,
    remindAt: null,
    ...rest,
  }
}
