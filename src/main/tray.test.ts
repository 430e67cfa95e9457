import { describe, expect, it } from 'vitest'
import type { MenuItemConstructorOptions, NativeImage } from 'electron'
import type { TrayAction } from './tray-model.js'
import { createTray, toMenuTemplate } from './tray.js'
import { statusView } from '../../tests/support/status.js'

function fakes(platform: NodeJS.Platform) {
  const calls: {
    images: string[]
    templates: MenuItemConstructorOptions[][]
    tooltips: string[]
    template: boolean[]
  } = { images: [], templates: [], tooltips: [], template: [] }
  const run: TrayAction[] = []
  const listeners: Record<string, () => void> = {}
  const image = (path: string) =>
    ({ path, setTemplateImage: (t: boolean) => calls.template.push(t) }) as unknown as NativeImage
  const tray = {
    setImage: (img: NativeImage) => calls.images.push((img as unknown as { path: string }).path),
    setToolTip: (t: string) => calls.tooltips.push(t),
    setContextMenu: (m: unknown) => calls.templates.push(m as MenuItemConstructorOptions[]),
    on: (event: string, fn: () => void) => (listeners[event] = fn),
    destroy: () => undefined,
  }
  const controller = createTray(
    {
      createTray: (img) => {
        calls.images.push((img as unknown as { path: string }).path)
        return tray as never
      },
      buildMenu: (t) => t as never,
      imageFromPath: image,
      iconDir: '/icons',
      platform,
      run: (a) => run.push(a),
    },
    { status: null, startAtLogin: true },
  )
  return { calls, run, listeners, controller }
}

describe('tray', () => {
  it('creates the tray with an icon, tooltip and menu, and rebuilds on change', () => {
    const { calls, controller } = fakes('linux')
    expect(calls.images).toEqual(['/icons/camera-unknown-32.png'])
    expect(calls.templates).toHaveLength(1)
    controller.update({
      status: statusView(),
      startAtLogin: true,
    })
    expect(calls.images).toEqual(['/icons/camera-unknown-32.png', '/icons/camera-off-32.png'])
    expect(calls.templates).toHaveLength(2)
    expect(calls.tooltips.at(-1)).toBe('CamGuard — Camera is off')
  })

  it('marks macOS icons as template images', () => {
    const { calls } = fakes('darwin')
    expect(calls.images).toEqual(['/icons/camera-unknownTemplate.png'])
    expect(calls.template).toEqual([true])
  })

  it('runs the chosen action for each clickable item, and opens Status on a click of the icon', () => {
    const { calls, run, listeners } = fakes('win32')
    const menu = calls.templates[0]!
    const click = (label: string) => {
      const item = menu.find((i) => i.label === label)
      ;(item?.click as () => void)()
    }
    click('Open guide')
    click('Quit')
    click('Start at login')
    const remind = menu.find((i) => i.label === 'Remind me if the camera is still on')
    ;((remind?.submenu as MenuItemConstructorOptions[])[1]!.click as () => void)()
    listeners.click!()
    expect(run).toEqual([
      { type: 'open', view: 'guide' },
      { type: 'quit' },
      { type: 'toggle-start-at-login' },
      { type: 'remind', minutes: 15 },
      { type: 'open', view: 'status' },
    ])
    expect(menu.find((i) => i.label === 'Start at login')).toMatchObject({ type: 'checkbox', checked: true })
  })

  it('turns labels into disabled items and separators into separators', () => {
    const t = toMenuTemplate([{ kind: 'label', label: 'x' }, { kind: 'separator' }], () => undefined)
    expect(t).toEqual([{ label: 'x', enabled: false }, { type: 'separator' }])
  })
})
