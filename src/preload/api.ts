// Builds the one object the page sees as window.camguard: named functions only, never ipcRenderer itself.
import type { IpcRenderer, IpcRendererEvent } from 'electron'
import type { CamGuardApi } from '../shared/api.js'
import type { IpcName, StatusView, View } from '../shared/ipc.js'
import { CHANNELS, PUSH_CHANNELS } from './channels.js'

type Bridge = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>

export function buildApi(ipc: Bridge): CamGuardApi {
  const invoke =
    (name: IpcName) =>
    (...args: unknown[]): Promise<never> =>
      ipc.invoke(CHANNELS[name], ...args) as Promise<never>
  // Listeners get only the payload: the event (with its sender) never reaches the page.
  const subscribe =
    <T>(channel: string) =>
    (listener: (value: T) => void): (() => void) => {
      const wrapped = (_event: IpcRendererEvent, value: T): void => listener(value)
      ipc.on(channel, wrapped)
      return () => {
        ipc.removeListener(channel, wrapped)
      }
    }
  const api = Object.fromEntries(
    (Object.keys(CHANNELS) as IpcName[]).map((name) => [name, invoke(name)]),
  ) as unknown as CamGuardApi
  api.onStatus = subscribe<StatusView>(PUSH_CHANNELS.status)
  api.onNavigate = subscribe<View>(PUSH_CHANNELS.navigate)
  return Object.freeze(api)
}
