import { createContext, useContext } from 'react'
import type { CamGuardApi } from '../../shared/api.js'

declare global {
  interface Window {
    /** Exposed by the preload (contextBridge); the only way this window talks to CamGuard. */
    camguard?: CamGuardApi
  }
}

/** Reads the bridge once at startup; null when the window was opened without the preload. */
export function readApi(): CamGuardApi | null {
  const api = window.camguard
  return api && typeof api === 'object' ? api : null
}

export const ApiContext = createContext<CamGuardApi | null>(null)

export function useApi(): CamGuardApi {
  const api = useContext(ApiContext)
  if (!api) throw new Error('useApi outside ApiContext')
  return api
}
