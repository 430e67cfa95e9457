import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('camguard', {})
