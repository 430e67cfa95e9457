import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { ROOT } from './support/processes.js'

// The layer rule (docs/architecture.md, "Layers") is enforced by lint; this proves the rule bites.
const eslint = new ESLint({ cwd: ROOT })

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${file}` })
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('layer rule', () => {
  it.each([
    ['src/core/x.ts', "import { app } from 'electron'\nexport const a = app"],
    ['src/core/x.ts', "import { run } from '../cli/program.js'\nexport const a = run"],
    ['src/core/camera/x.ts', "import { run } from '../../main/index.js'\nexport const a = run"],
    ['src/shared/x.ts', "import { readFileSync } from 'node:fs'\nexport const a = readFileSync"],
    ['src/shared/x.ts', "import { Monitor } from '../core/monitor.js'\nexport const a = Monitor"],
    ['src/renderer/src/x.ts', "import { Monitor } from '../../core/monitor.js'\nexport const a = Monitor"],
    ['src/renderer/src/x.ts', "import { ipcRenderer } from 'electron'\nexport const a = ipcRenderer"],
    ['src/cli/x.ts', "import { x } from '../main/tray.js'\nexport const a = x"],
    ['src/main/x.ts', "import { run } from '../cli/program.js'\nexport const a = run"],
    ['src/preload/x.ts', "import { Monitor } from '../core/monitor.js'\nexport const a = Monitor"],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await lint(file, code)).not.toEqual([])
  })

  it.each([
    [
      'src/core/x.ts',
      "import { z } from 'zod'\nimport type { Settings } from '../shared/settings.js'\nexport const a: Settings | null = null\nexport const b = z",
    ],
    [
      'src/main/x.ts',
      "import { app } from 'electron'\nimport { Monitor } from '../core/monitor.js'\nexport const a = [app, Monitor]",
    ],
    ['src/cli/x.ts', "import { Monitor } from '../core/monitor.js'\nexport const a = Monitor"],
  ])('allows in %s: %s', async (file, code) => {
    expect(await lint(file, code)).toEqual([])
  })
})
