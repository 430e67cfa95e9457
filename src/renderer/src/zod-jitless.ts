// Must be imported before anything from src/shared: the settings schema (zod) probes for `new Function`
// when it is built, and under this window's CSP (no 'unsafe-eval') that probe is reported as a
// violation even though zod catches it. zod reads its global config from this well-known slot.
const slot = globalThis as { __zod_globalConfig?: Record<string, unknown> }
slot.__zod_globalConfig = { ...(slot.__zod_globalConfig ?? {}), jitless: true }

export {}
