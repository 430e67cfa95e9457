// Applies a TrayModel to Electron's Tray. Electron is injected, so the wiring is tested with fakes.
import { join } from 'node:path'
import type {
  MenuItemConstructorOptions,
  NativeImage,
  Tray as ElectronTray,
  Menu as ElectronMenu,
} from 'electron'
import {
  buildTrayModel,
  trayIconFile,
  type TrayAction,
  type TrayInput,
  type TrayMenuItem,
} from './tray-model.js'

export interface TrayDeps {
  createTray: (
    image: NativeImage,
  ) => Pick<ElectronTray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'on' | 'destroy'>
  buildMenu: (template: MenuItemConstructorOptions[]) => ElectronMenu
  imageFromPath: (path: string) => NativeImage
  iconDir: string
  platform: NodeJS.Platform
  /** Runs a chosen menu action; errors are the caller's to report. */
  run: (action: TrayAction) => void
}

/** Turns the model's items into Electron's menu template; each click runs its action. */
export function toMenuTemplate(
  items: TrayMenuItem[],
  run: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'label':
        return { label: item.label, enabled: false }
      case 'separator':
        return { type: 'separator' }
      case 'item':
        return { label: item.label, enabled: item.enabled, click: () => run(item.action) }
      case 'checkbox':
        return { label: item.label, type: 'checkbox', checked: item.checked, click: () => run(item.action) }
      case 'submenu':
        return { label: item.label, enabled: item.enabled, submenu: toMenuTemplate(item.items, run) }
    }
  })
}

export interface TrayController {
  /** Rebuilds icon, tooltip and menu; cheap enough to call on every status change. */
  update(input: TrayInput): void
  destroy(): void
}

export function createTray(deps: TrayDeps, initial: TrayInput): TrayController {
  const image = (name: Parameters<typeof trayIconFile>[0]): NativeImage => {
    const img = deps.imageFromPath(join(deps.iconDir, trayIconFile(name, deps.platform)))
    // Template images let macOS recolour the icon for light and dark menu bars.
    if (deps.platform === 'darwin') img.setTemplateImage(true)
    return img
  }
  const first = buildTrayModel(initial)
  const tray = deps.createTray(image(first.icon))
  let icon = first.icon
  const apply = (input: TrayInput): void => {
    const model = buildTrayModel(input)
    if (model.icon !== icon) tray.setImage(image(model.icon))
    icon = model.icon
    tray.setToolTip(model.tooltip)
    // Linux (AppIndicator) only picks up a changed menu when it is set again, so always set a new one.
    tray.setContextMenu(deps.buildMenu(toMenuTemplate(model.menu, deps.run)))
  }
  apply(initial)
  // A left click (Windows, macOS; most Linux trays only show the menu) opens the Status view.
  tray.on('click', () => deps.run({ type: 'open', view: 'status' }))
  return { update: apply, destroy: () => tray.destroy() }
}
