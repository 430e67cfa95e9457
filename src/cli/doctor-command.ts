import { Command } from 'commander'
import type { CameraDetector } from '../core/ports.js'
import { runDoctor, type DoctorReport } from '../core/doctor.js'
import { terminalJson, visibleText } from '../shared/escape.js'
import { RuntimeError } from './errors.js'

export interface DoctorCommandDeps {
  out: NodeJS.WritableStream
  platform: NodeJS.Platform
  version: string
  /** Opens the saved settings (for the device patterns `watch` would use). */
  settings: () => { get(): { devicePatterns: string[] }; close(): void }
  detectorFor: (patterns: () => readonly string[]) => CameraDetector
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no')

/** The report as a person reads it. Every string from the OS or another program is escaped. */
export function formatDoctor(r: DoctorReport): string {
  const e = visibleText
  const lines = [
    `CamGuard ${e(r.camguard)} on ${e(r.system.name)} (${e(r.system.platform)} ${e(r.system.release)}, ${e(r.system.arch)}; Node ${e(r.system.node)})`,
    `Detector:    ${e(r.detector)}`,
    `Native calls: ${r.native.ok ? 'loaded' : 'NOT loaded'}: ${e(r.native.detail)}`,
    `Mode:        ${r.mode}: ${e(r.modeWhy)}`,
    `Camera:      ${r.state}${r.error ? ` (${e(r.error)})` : ''}`,
    r.cameras.length === 0 ? 'Cameras:     none found' : 'Cameras:',
    ...r.cameras.map(
      (c) =>
        `  - ${e(c.name)}${c.virtual ? ' (virtual)' : ''}: ${c.inUse ? 'in use' : 'not in use'}${c.devices.length ? ` [${c.devices.map(e).join(', ')}]` : ''}`,
    ),
    'Rights:',
    ...r.rights.map((x) => `  - ${e(x)}`),
    `One check:   ${r.checkCost.wallMs} ms, ${r.checkCost.cpuMs} ms of CPU (over ${r.checkCost.checks} checks)`,
    ...(r.warnings.length ? ['Warnings:', ...r.warnings.map((w) => `  - ${e(w)}`)] : ['Warnings:    none']),
    r.ok
      ? `Detection works here: ${yesNo(true)}.`
      : 'Detection works here: no. CamGuard cannot tell whether the camera is on; see above for why.',
  ]
  return lines.join('\n')
}

export function doctorCommand(deps: DoctorCommandDeps): Command {
  return new Command('doctor')
    .description('say what CamGuard can see on this machine and how (for you and for bug reports)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const store = deps.settings()
      const patterns = store.get().devicePatterns
      store.close()
      const detector = deps.detectorFor(() => patterns)
      const report = await runDoctor({ detector, platform: deps.platform, version: deps.version })
      deps.out.write((opts.json ? terminalJson(report) : formatDoctor(report)) + '\n')
      if (!report.ok)
        throw new RuntimeError(report.error ?? 'the camera state cannot be told on this machine')
    })
}
