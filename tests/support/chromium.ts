// The one way tests start a browser: the Chromium that ships inside the npm package
// @sparticuz/chromium (pinned in package.json), driven headless by playwright-core. Nothing is
// downloaded and no system browser is used. The package keeps Chromium brotli-compressed; it is
// unpacked once per checkout and version into node_modules/.cache, and the unpacked copy is reused.
import { execFile } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync, rmSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { chromium, type Browser, type LaunchOptions } from 'playwright-core'
import { ROOT } from './processes.js'

const PACKAGE = '@sparticuz/chromium'
const PACKAGE_DIR = join(ROOT, 'node_modules', PACKAGE)

// Flags of the package's own list that do not suit tests here: --single-process breaks a browser
// that opens and closes several contexts (each test opens its own), and the two "insecure" ones
// would weaken the page security the tests check.
const DROPPED_ARGS = new Set([
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
])

// What this machine needs on top: no sandbox (Chromium refuses one as root, and this build has no
// setuid helper for other users), no traffic to Google's services in the background, and no GPU:
// Skia's software raster draws these pages at about half the CPU of the software GL (SwiftShader)
// the package would otherwise use.
const EXTRA_ARGS = [
  '--disable-gpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export interface UnpackedChromium {
  executablePath: string
  /** A fontconfig file naming only the fonts the package ships, so pages render alike on every machine. */
  fontConfig: string
}

function packageVersion(): string {
  const file = join(PACKAGE_DIR, 'package.json')
  if (!existsSync(file)) {
    throw new Error(`${PACKAGE} is not installed: run \`npm ci\` (it is a devDependency of CamGuard).`)
  }
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}

/** Whether `dir` holds a finished unpacking that this user can run. */
function usable(dir: string): boolean {
  try {
    accessSync(join(dir, 'chromium'), constants.X_OK)
    accessSync(join(dir, 'fonts.conf'), constants.R_OK)
    return true
  } catch {
    return false
  }
}

/** Unpacks the package's Chromium, fonts and software GL into `dir` (which must not exist yet). */
async function unpackInto(dir: string): Promise<void> {
  const work = `${dir}.partial-${process.pid}-${Date.now()}`
  await mkdir(work, { recursive: true })
  try {
    // The package unpacks into os.tmpdir(); a child process with its own TMPDIR keeps that out of
    // the shared /tmp (fixed names there would collide between users and versions).
    const script = `import(${JSON.stringify(PACKAGE)}).then((m) => m.default.executablePath()).then((p) => process.stdout.write(p))`
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: work },
      encoding: 'utf8',
      timeout: 180_000,
    }).catch((err: Error & { stderr?: string }) => {
      throw new Error(
        `could not unpack the Chromium of ${PACKAGE} into ${work}: ${err.stderr?.trim() || err.message}`,
      )
    })
    if (stdout !== join(work, 'chromium'))
      throw new Error(`${PACKAGE} unpacked Chromium to ${stdout}, not ${work}`)
    await writeFile(
      join(work, 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        `  <dir>${dir}/fonts/fonts</dir>`,
        `  <cachedir>${dir}/fontconfig-cache</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    )
    try {
      await rename(work, dir)
    } catch (err) {
      // Another test process finished first: its copy is as good as ours.
      if (!usable(dir)) throw err
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

let unpacked: Promise<UnpackedChromium> | undefined

/** The unpacked Chromium, unpacking it first if this checkout has not yet (10 to 20 s, once). */
export function unpackedChromium(): Promise<UnpackedChromium> {
  unpacked ??= (async () => {
    const version = packageVersion()
    let dir = join(ROOT, 'node_modules', '.cache', 'camguard-chromium', version)
    if (!usable(dir)) {
      try {
        await mkdir(dirname(dir), { recursive: true })
        await unpackInto(dir)
      } catch (err) {
        // A checkout this user cannot write to (or an unpacking by another user): a private copy.
        const code = (err as NodeJS.ErrnoException).code
        if (code !== 'EACCES' && code !== 'EPERM') throw err
        const own = await mkdtemp(join(tmpdir(), 'camguard-chromium-'))
        process.once('exit', () => rmSync(own, { recursive: true, force: true }))
        dir = join(own, version)
        await unpackInto(dir)
      }
    }
    return { executablePath: join(dir, 'chromium'), fontConfig: join(dir, 'fonts.conf') }
  })()
  unpacked.catch(() => (unpacked = undefined))
  return unpacked
}

/** The package's recommended flags for running headless, adjusted for tests (see above). */
export async function chromiumArgs(): Promise<string[]> {
  const { default: pkg } = await import('@sparticuz/chromium')
  pkg.setGraphicsMode = false // no WebGL, and so no SwiftShader flags
  return [...pkg.args.filter((a) => !DROPPED_ARGS.has(a)), ...EXTRA_ARGS]
}

/** Launches the npm package's Chromium, headless. Every test that needs a browser goes through here. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const { executablePath, fontConfig } = await unpackedChromium()
  return chromium.launch({
    ...options,
    executablePath,
    args: [...(await chromiumArgs()), ...(options.args ?? [])],
    env: { ...process.env, FONTCONFIG_FILE: fontConfig, ...options.env },
  })
}
