import { app, Menu, Tray, nativeImage } from 'electron'

// Placeholder composition root; the desktop app issue fills it in.
let tray: Tray | null = null
app.whenReady().then(() => {
  tray = new Tray(nativeImage.createEmpty())
  tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Quit', click: () => app.quit() }]))
})
app.on('window-all-closed', () => undefined)
