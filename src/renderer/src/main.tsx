import './zod-jitless.js'
import './styles.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { ApiContext, readApi } from './camguard-api.js'
import { App } from './App.js'

const api = readApi()
const root = createRoot(document.getElementById('root')!)

if (api) {
  root.render(
    <StrictMode>
      <ApiContext.Provider value={api}>
        <App />
      </ApiContext.Provider>
    </StrictMode>,
  )
} else {
  root.render(
    <main className="view">
      <h1>CamGuard could not start this window</h1>
      <p>
        This window cannot reach CamGuard. Close it and open CamGuard again from the tray icon. If this keeps
        happening, restart your computer.
      </p>
    </main>,
  )
}
