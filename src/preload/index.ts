// The sandboxed preload: exposes the typed CamGuardApi and nothing else.
import { contextBridge, ipcRenderer } from 'electron'
import { buildApi } from './api.js'

contextBridge.exposeInMainWorld('camguard', buildApi(ipcRenderer))
