// The bridge's main side: one ipcMain.handle per entry of the shared IPC contract. Every call is checked twice
// before anything runs: the sending frame must be one of the app's own pages, and the payload must match the
// contract's schema.
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { IPC, type IpcArgs, type IpcName, type IpcResults } from '../shared/ipc.js'

export type IpcHandlers = {
  [K in IpcName]: (...args: IpcArgs<K>) => IpcResults[K] | Promise<IpcResults[K]>
}

export interface IpcRegistration {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  /** True for the app's own pages (see security.ts isAppPageUrl). */
  isTrustedSender: (url: string | undefined) => boolean
  handlers: IpcHandlers
  log?: (message: string) => void
}

/** The URL of the frame that sent an invoke; null when the frame is gone (navigated or destroyed). */
function senderUrl(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string | undefined {
  try {
    return event.senderFrame?.url
  } catch {
    return undefined
  }
}

/** Registers every handler; returns a function that removes them. */
export function registerIpc(reg: IpcRegistration): () => void {
  const names = Object.keys(IPC) as IpcName[]
  for (const name of names) {
    const { channel, payload } = IPC[name]
    const handler = reg.handlers[name] as (...args: unknown[]) => unknown
    reg.ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      const url = senderUrl(event)
      if (!reg.isTrustedSender(url)) {
        reg.log?.(`refused ${channel} from ${String(url).slice(0, 200)}`)
        throw new Error(`CamGuard refused ${name}: the caller is not one of the app's own pages`)
      }
      const parsed = payload.safeParse(args)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        const where = issue?.path.length ? ` (argument ${issue.path.join('.')})` : ''
        throw new Error(
          `CamGuard refused ${name}: invalid arguments${where}: ${issue?.message ?? 'not allowed'}`,
        )
      }
      return handler(...(parsed.data as unknown[]))
    })
  }
  return () => names.forEach((name) => reg.ipcMain.removeHandler(IPC[name].channel))
}
