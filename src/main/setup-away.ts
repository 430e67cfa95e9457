// "Away": idle for awayMinutes or the screen locked, from Electron's powerMonitor, told to the engine.
import { powerMonitor } from 'electron'
import { systemClock, type Engine, type SettingsStore } from '../core/ports.js'
import { startAwayMonitor, type AwayMonitor } from './away.js'

export function setupAway(engine: Engine, settings: SettingsStore): AwayMonitor {
  const away = startAwayMonitor({
    powerMonitor,
    clock: systemClock,
    awayMinutes: () => settings.get().awayMinutes,
    setUserAway: (isAway) => engine.setUserAway(isAway),
  })
  settings.onChange(() => away.check())
  return away
}
