// koffi loads its native binary with dlopen, which needs a real file: the packaged app must keep it
// outside the asar archive, and the main bundle must load koffi from node_modules at run time.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import picomatch from 'picomatch'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '..', '..')
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as { asarUnpack?: string[] }
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  allowScripts: Record<string, boolean>
}

function nodeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.node'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
}

describe('koffi in the packaged app', () => {
  it('is a pinned dependency whose install script stays blocked', () => {
    expect(pkg.dependencies.koffi).toMatch(/^3\.\d+\.\d+$/)
    expect(pkg.allowScripts.koffi).toBe(false)
  })

  it('unpacks every koffi binary installed here from the asar', () => {
    const binaries = nodeFiles(join(ROOT, 'node_modules/@koromix'))
    expect(binaries.length).toBeGreaterThan(0)
    const unpacked = picomatch(config.asarUnpack ?? [])
    for (const file of binaries) expect(file, file).toSatisfy((f: string) => unpacked(f))
  })

  it('keeps koffi out of the main bundle (loaded from node_modules when it runs)', () => {
    const bundle = join(ROOT, 'out/main/index.js')
    expect(existsSync(bundle), 'run npm run build first').toBe(true)
    const code = readFileSync(bundle, 'utf8')
    expect(code).toContain('("koffi")')
    expect(code).not.toContain('Cannot find the native Koffi module')
  })
})

describe('the CI workflow', () => {
  const ci = parse(readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8')) as {
    jobs: Record<string, { strategy?: { matrix: { os: string[] } }; steps: { run?: string }[] }>
  }
  const runs = (job: string) => ci.jobs[job]!.steps.map((s) => s.run ?? '').join('\n')

  it('checks the native bindings on Linux, macOS and Windows with npm ci, unit tests and doctor', () => {
    expect(ci.jobs.native!.strategy!.matrix.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest'])
    expect(runs('native')).toMatch(/npm ci/)
    expect(runs('native')).toMatch(/vitest run/)
    expect(runs('native')).toMatch(/camguard\.js doctor --json/)
  })

  it('runs the Electron tests under Xvfb with a downloaded Electron', () => {
    expect(runs('electron')).toMatch(/node_modules\/electron\/install\.js/)
    expect(runs('electron')).toMatch(/xvfb-run -a npx vitest run tests\/electron/)
  })
})
