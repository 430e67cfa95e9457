import { z } from 'zod'
import { hooksSchema } from './hooks.js'

// One schema for the app (electron-store) and the CLI (conf): both read and write the same settings.json.

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)

export const REGIONS = ['uk', 'ie', 'us', 'ca', 'au', 'other'] as const
export type Region = (typeof REGIONS)[number]

export const REGION_NAMES: Record<Region, string> = {
  uk: 'United Kingdom',
  ie: 'Ireland',
  us: 'United States',
  ca: 'Canada',
  au: 'Australia',
  other: 'Elsewhere / EU',
}

/** Whole minutes, at least one: a fraction of a minute would turn a reminder into a storm. */
export const MINUTES_MIN = 1
export const MINUTES_MAX = 24 * 60
const minutes = () => z.number().int().min(MINUTES_MIN).max(MINUTES_MAX)

const appName = z.string().trim().min(1, 'app names cannot be empty').max(256)

/** A trusted app: its executable (null for a name-only entry), its name, the devices it may use. */
const trustEntrySchema = z
  .object({
    exe: z.string().min(1, 'the executable path cannot be empty').max(4096).nullable(),
    bundleId: z.string().min(1).max(256).optional(),
    name: appName,
    kinds: z
      .array(z.enum(['camera', 'microphone']))
      .min(1, 'needs at least one device (camera or microphone)')
      .refine((k) => new Set(k).size === k.length, 'each device once'),
  })
  .strict()

export const settingsSchema = z.object({
  // Older settings hold plain names: they load as name-only entries (src/shared/trust.ts).
  trustedApps: z.array(z.union([appName, trustEntrySchema])).max(500),
  notifyFor: z.enum(['unexpected', 'all']),
  stillOnMinutes: minutes(),
  remindEveryMinutes: minutes(),
  quietHours: z.object({ start: hhmm, end: hhmm }).strict().nullable(),
  awayMinutes: minutes(),
  pollIntervalMs: z.number().int().min(50).max(600_000),
  devicePatterns: z.array(z.string().min(1, 'patterns cannot be empty')).min(1, 'needs at least one pattern'),
  /** 'auto' follows the system locale. */
  region: z.enum(['auto', ...REGIONS]),
  startAtLogin: z.boolean(),
  /** Commands run on events (argument lists, no shell): src/shared/hooks.ts. */
  hooks: hooksSchema,
  watchMicrophone: z.boolean(),
  /** macOS: a virtual camera or microphone in use (OBS, Camo) alerts like a real one. */
  alertVirtualDevices: z.boolean(),
  micDevicePatterns: z
    .array(z.string().min(1, 'patterns cannot be empty'))
    .min(1, 'needs at least one pattern'),
})

export type Settings = z.infer<typeof settingsSchema>
export type SettingsKey = keyof Settings
export const SETTINGS_KEYS = Object.keys(settingsSchema.shape) as SettingsKey[]

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  trustedApps: [],
  notifyFor: 'unexpected',
  stillOnMinutes: 15,
  remindEveryMinutes: 15,
  quietHours: null,
  awayMinutes: 5,
  pollIntervalMs: 1000,
  devicePatterns: ['/dev/video*'],
  region: 'auto',
  startAtLogin: true,
  hooks: [],
  watchMicrophone: true,
  alertVirtualDevices: false,
  micDevicePatterns: ['/dev/snd/pcmC*D*c'],
})

/** A settings file may hold only some keys (the rest take defaults) and keys we do not know (kept). */
export const settingsFileSchema = settingsSchema.partial().passthrough()

export type SettingsIssue = { key: string; message: string }

/** Validates one key's value; returns a message naming the key on failure. */
export function validateSetting(
  key: string,
  value: unknown,
): { ok: true; value: Settings[SettingsKey] } | { ok: false; error: string } {
  if (!(SETTINGS_KEYS as string[]).includes(key)) {
    return { ok: false, error: `unknown setting "${key}"; known settings: ${SETTINGS_KEYS.join(', ')}.` }
  }
  const field = settingsSchema.shape[key as SettingsKey]
  const parsed = field.safeParse(value)
  if (parsed.success) return { ok: true, value: parsed.data as Settings[SettingsKey] }
  const first = parsed.error.issues[0]
  return { ok: false, error: settingMessage([key, ...(first?.path ?? []).map(String)], first?.message) }
}

const WHOLE_MINUTES = `must be a whole number of minutes from ${MINUTES_MIN} to ${MINUTES_MAX}`

/** What each setting takes, said plainly; the window and the command show these same sentences. */
const PLAIN: Record<string, string> = {
  stillOnMinutes: `The first "still on" reminder ${WHOLE_MINUTES}.`,
  remindEveryMinutes: `The time between reminders ${WHOLE_MINUTES}.`,
  awayMinutes: `The time before you count as away ${WHOLE_MINUTES}.`,
  pollIntervalMs: 'The check interval must be a whole number of milliseconds from 50 to 600000.',
  'quietHours.start': 'Quiet hours start must be a time like 22:30.',
  'quietHours.end': 'Quiet hours end must be a time like 07:00.',
  quietHours: 'Quiet hours must be a start and an end time, like 22:00-07:00, or off.',
  notifyFor: 'Notify for must be "unexpected" or "all".',
  devicePatterns: 'Camera devices must be one or more patterns, like /dev/video*.',
  micDevicePatterns: 'Microphone devices must be one or more patterns, like /dev/snd/pcmC*D*c.',
  region: `The guide's region must be auto or one of ${REGIONS.join(', ')}.`,
  startAtLogin: 'Start at login must be on or off.',
  watchMicrophone: 'Watch the microphone must be on or off.',
  alertVirtualDevices: 'Alert for virtual cameras and microphones must be on or off.',
}

/** Settings whose schema says precisely what is wrong: its words follow the setting's name. */
const NAMES: Record<string, string> = { trustedApps: 'Trusted apps', hooks: 'Your commands' }

/**
 * The message for a refused value, from the path of the problem (the setting, then where inside it).
 * Zod's own words ("expected number, received string") never reach the user.
 */
export function settingMessage(path: readonly string[], detail?: string): string {
  for (let n = path.length; n > 0; n--) {
    const plain = PLAIN[path.slice(0, n).join('.')]
    if (plain) return plain
  }
  const name = NAMES[path[0] ?? ''] ?? path[0] ?? 'This setting'
  const why = detail && !/^(Invalid|Too|Expected)/.test(detail) ? detail : 'is not a value CamGuard can use'
  return `${name}: ${why}.`
}

/** A number field in the window that does not hold a number. */
export function notANumberMessage(key: SettingsKey): string {
  return PLAIN[key] ?? `${NAMES[key] ?? key} must be a number.`
}

/** Validates a whole settings object (as read from disk); returns merged settings or the issues. */
export function parseSettingsFile(
  data: unknown,
): { ok: true; settings: Settings; extra: Record<string, unknown> } | { ok: false; issues: SettingsIssue[] } {
  const parsed = settingsFileSchema.safeParse(data)
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        key: i.path.length ? i.path.join('.') : '(file)',
        message: i.path.length ? settingMessage(i.path.map(String), i.message) : 'it does not hold settings',
      })),
    }
  }
  const extra: Record<string, unknown> = {}
  const known: Partial<Settings> = {}
  for (const [k, v] of Object.entries(parsed.data)) {
    if ((SETTINGS_KEYS as string[]).includes(k)) (known as Record<string, unknown>)[k] = v
    else extra[k] = v
  }
  return { ok: true, settings: { ...DEFAULT_SETTINGS, ...known }, extra }
}

/** JSON Schema for conf / electron-store, derived from the same zod schema. */
export function settingsJsonSchema(): Record<string, unknown> {
  const json = z.toJSONSchema(settingsSchema, { io: 'input' }) as { properties: Record<string, unknown> }
  return json.properties
}
