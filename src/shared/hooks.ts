import { z } from 'zod'
import { shellWord } from './escape.js'

// The user's own commands, run when a device turns on or off: what they are and when they run.
// One home for the CLI, the window and the core that runs them.

export const HOOK_EVENTS = [
  'camera-on',
  'camera-off',
  'microphone-on',
  'microphone-off',
  'unexpected',
  'still-on',
] as const
export type HookEvent = (typeof HOOK_EVENTS)[number]

export const HOOK_EVENT_WORDS: Record<HookEvent, string> = {
  'camera-on': 'the camera turns on',
  'camera-off': 'the camera turns off',
  'microphone-on': 'the microphone turns on',
  'microphone-off': 'the microphone turns off',
  unexpected: 'a device turns on unexpectedly',
  'still-on': 'a device is still on (each reminder)',
}

export const MAX_HOOKS = 50

export const hookSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]{1,16}$/, 'ids are 1 to 16 lower-case letters and digits'),
    on: z
      .array(z.enum(HOOK_EVENTS))
      .min(1, 'a hook needs at least one event')
      .refine((a) => new Set(a).size === a.length, 'each event once'),
    command: z
      .array(z.string().max(4096, 'arguments are at most 4096 characters'))
      .min(1, 'a hook needs a command')
      .max(256, 'at most 256 arguments')
      .refine((c) => (c[0] ?? '').trim() !== '', 'the program to run cannot be empty'),
  })
  .strict()

export type Hook = z.infer<typeof hookSchema>

export const hooksSchema = z
  .array(hookSchema)
  .max(MAX_HOOKS, `at most ${MAX_HOOKS} hooks`)
  .refine((hooks) => new Set(hooks.map((h) => h.id)).size === hooks.length, 'hook ids must be unique')

/** "camera-on,unexpected" -> the events, or what is wrong with the text. */
export function parseHookEvents(
  text: string,
): { ok: true; events: HookEvent[] } | { ok: false; error: string } {
  const words = text
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean)
  if (words.length === 0) return { ok: false, error: `name at least one event: ${HOOK_EVENTS.join(', ')}` }
  const unknown = words.filter((w) => !(HOOK_EVENTS as readonly string[]).includes(w))
  if (unknown.length > 0) {
    return {
      ok: false,
      error: `unknown event ${unknown.map((w) => JSON.stringify(w)).join(', ')}; events are ${HOOK_EVENTS.join(', ')}`,
    }
  }
  return { ok: true, events: [...new Set(words)] as HookEvent[] }
}

/** A short id no other hook has (ids only tell hooks apart: no secret in them). */
export function newHookId(taken: readonly Pick<Hook, 'id'>[]): string {
  for (;;) {
    const id = Math.floor(Math.random() * 0x1000000)
      .toString(16)
      .padStart(6, '0')
    if (!taken.some((h) => h.id === id)) return id
  }
}

/**
 * A command as one line for people to read, each argument as a shell would read it back (hooks
 * run without a shell: this is only how they are shown).
 */
export function describeCommand(command: readonly string[]): string {
  return command.map(shellWord).join(' ')
}
