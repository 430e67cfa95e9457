import type { ActivitySession } from '../../src/shared/types.js'

/** A finished session of the activity log, `minutes` long from `start`, used by one app; unexpected unless told. */
export function activitySession(
  id: string,
  start: string,
  minutes: number,
  options: { name?: string; kind?: 'camera' | 'microphone' } & Partial<ActivitySession> = {},
): ActivitySession & { kind: 'camera' | 'microphone' } {
  const { name = 'zoom', kind = 'camera', ...over } = options
  return {
    id,
    start,
    end: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
    durationMs: minutes * 60_000,
    apps: [{ pid: 4242, name, exe: `/usr/bin/${name}`, evidence: 'streaming' }],
    unexpected: true,
    reasons: ['untrusted-app'],
    kind,
    ...over,
  }
}
