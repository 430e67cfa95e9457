// `node --import ./tests/electron/register-fake-electron.mjs out/main/index.js` runs the built main process
// against fake-electron.mjs instead of Electron.
import { register } from 'node:module'

register('./electron-hook.mjs', import.meta.url)
