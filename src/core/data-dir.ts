import { join } from 'node:path'

/** The one data directory shared by the app and the CLI (docs/architecture.md, "Files"). */
export function dataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (env.CAMGUARD_DATA_DIR) return env.CAMGUARD_DATA_DIR
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'CamGuard')
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'CamGuard')
  const config =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config')
  return join(config, 'camguard')
}
