import type { CameraDetector } from '../../src/core/ports.js'
import type { CameraSnapshot, CameraUser } from '../../src/shared/types.js'

export const app = (name: string, pid: number | null = 1000, exe: string | null = null): CameraUser => ({
  pid,
  name,
  exe,
  evidence: 'streaming',
})

/** A detector whose answer the test sets: the boundary of the monitor and policy units. */
export class ScriptedDetector implements CameraDetector {
  readonly name = 'scripted'
  state: CameraSnapshot['state'] = 'off'
  users: CameraUser[] = []
  error = 'scripted failure'
  throws = false
  calls = 0
  closed = false

  set(state: CameraSnapshot['state'], users: CameraUser[] = []): void {
    this.state = state
    this.users = users
  }

  async snapshot(): Promise<CameraSnapshot> {
    this.calls++
    if (this.throws) throw new Error('detector exploded')
    const inUse = this.state === 'on'
    return {
      state: this.state,
      checkedAt: new Date().toISOString(),
      cameras:
        this.state === 'unknown'
          ? []
          : [
              {
                id: 'cam',
                name: 'Test camera',
                devices: ['/dev/video0'],
                inUse,
                users: inUse ? this.users : [],
              },
            ],
      warnings: [],
      ...(this.state === 'unknown' ? { error: this.error } : {}),
    }
  }

  async close(): Promise<void> {
    this.closed = true
  }
}
