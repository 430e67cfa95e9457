import type { IpcArgs, IpcName, IpcResults, StatusView, View } from './ipc.js'

/** The one object the preload exposes as window.camguard; the renderer imports only this type. */
export type CamGuardApi = {
  [K in IpcName]: (...args: IpcArgs<K>) => Promise<IpcResults[K]>
} & {
  /** Called with every new status; returns a function that unsubscribes. */
  onStatus(listener: (status: StatusView) => void): () => void
  /** Called when main asks the window to show a view (e.g. a notification was clicked). */
  onNavigate(listener: (view: View) => void): () => void
}
