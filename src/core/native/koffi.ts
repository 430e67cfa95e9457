// The one door to koffi, the FFI that lets CamGuard call the operating system in-process (inotify,
// CoreMediaIO, the Windows registry) without a compiler or a helper program. Loaded on first use,
// so a missing or broken binary becomes a sentence the detector can report, never a crash.
import { createRequire } from 'node:module'
import type KoffiModule from 'koffi'
import { errorMessage } from '../files.js'

export type Koffi = typeof KoffiModule

/** A native binding, or why it could not be had. */
export type Loaded<T> = { ok: true; value: T } | { ok: false; error: string }

let koffi: Loaded<Koffi> | null = null

export function loadKoffi(): Loaded<Koffi> {
  if (koffi) return koffi
  try {
    // createRequire keeps koffi out of every bundle: it must load its .node file from disk.
    const required = createRequire(import.meta.url)('koffi') as Koffi
    koffi = { ok: true, value: required }
  } catch (err) {
    koffi = {
      ok: false,
      error: `the native bridge (koffi) could not be loaded: ${firstLine(errorMessage(err))}`,
    }
  }
  return koffi
}

/** koffi's version, or '' when it cannot be loaded. */
export function koffiVersion(): string {
  const k = loadKoffi()
  return k.ok ? String(k.value.version) : ''
}

/** Runs `bind` with koffi, turning any throw (a missing library or symbol) into a reason. */
export function bindNative<T>(what: string, bind: (k: Koffi) => T): Loaded<T> {
  const k = loadKoffi()
  if (!k.ok) return k
  try {
    return { ok: true, value: bind(k.value) }
  } catch (err) {
    return { ok: false, error: `${what} could not be loaded: ${firstLine(errorMessage(err))}` }
  }
}

/** A native call that failed, with the code the OS gave (errno, OSStatus or a Win32 error). */
export class NativeCallError extends Error {
  constructor(
    readonly call: string,
    readonly code: number,
    /** A sentence that names the call and says what the code means. */
    message: string,
  ) {
    super(message)
    this.name = 'NativeCallError'
  }
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? text).trim().slice(0, 300)
}
