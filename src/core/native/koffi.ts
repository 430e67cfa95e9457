// The one door to koffi, the FFI that lets CamGuard call the operating system in-process (inotify,
// CoreMediaIO, the Windows registry) without a compiler or a helper program. Loaded on first use,
// so a missing or broken binary becomes a sentence the detector can report, never a crash.
import { createRequire } from 'node:module'
import type KoffiModule from 'koffi'
import { errorMessage } from '../files.js'
import { firstLine } from '../camera/os-command.js'

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

/**
 * A named koffi type (struct, callback prototype), declared once per process: koffi's names are
 * global to its native module, which outlives any one copy of this module (test runners, reloads).
 */
export function namedType<T>(k: Koffi, name: string, declare: () => T): T {
  try {
    return k.type(name) as T
  } catch {
    return declare()
  }
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

/**
 * Callbacks the OS calls through one C trampoline, told apart by the context pointer it passes
 * back (an id). The trampoline is registered once and never freed: a call already on its way from
 * an OS thread must never land on freed memory. koffi queues such calls to the JS thread.
 */
export class CallbackTable {
  private readonly handlers = new Map<number, () => void>()
  private next = 1

  add(handler: () => void): bigint {
    const id = this.next++
    this.handlers.set(id, handler)
    return BigInt(id)
  }

  /** False when it was already removed. */
  remove(id: bigint): boolean {
    return this.handlers.delete(Number(id))
  }

  /** Runs the handler behind a context pointer; never throws into the OS. */
  call(ctx: unknown): void {
    const id = typeof ctx === 'bigint' || typeof ctx === 'number' ? Number(ctx) : 0
    try {
      this.handlers.get(id)?.()
    } catch {
      // A handler's bug must not reach the OS thread.
    }
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
