// An in-memory CamGuardApi for the renderer's browser tests. It is NOT part of the shipped bundle:
// the tests bundle this file on its own (see harness.ts) and inject it with page.addInitScript,
// so the built renderer finds it as window.camguard, just as it finds the preload's bridge.
import type { CamGuardApi } from '../../src/shared/api.js'
import { isAllowedExternalUrl, topicsForRegion, type GuideTopic } from '../../src/shared/guide.js'
import type { SetSettingResult, StatusView, StopAppResult, View } from '../../src/shared/ipc.js'
import { validateSetting, type Region, type Settings, type SettingsKey } from '../../src/shared/settings.js'
import type { ActivitySession } from '../../src/shared/types.js'
import { addTrust, entriesNamed, isTrusted, trustEntries, trustInstead } from '../../src/shared/trust.js'
import {
  byTime,
  evidenceInputSchema,
  firstIssue,
  type Attachment,
  type DamagedEntry,
  type EvidenceEntry,
  type PickedFile,
} from '../../src/shared/evidence.js'

export interface StandInConfig {
  status: StatusView
  settings: Settings
  activity: ActivitySession[]
  topics: GuideTopic[]
  /** The region getGuide() uses when called without one (main takes it from settings or the locale). */
  defaultRegion: Region
  /** Keys whose setSetting main refuses, with its error (as when it cannot write settings.json). */
  refuse?: Record<string, string>
  /** Where exportActivity says it saved, without the extension. */
  exportPath?: string
  /** The evidence notebook's entries, and those that could not be read. */
  evidence?: EvidenceEntry[]
  damagedEvidence?: DamagedEntry[]
  /** What main's file dialog returns each time it is opened ([] as if cancelled). */
  pickFiles?: { name: string; size: number }[]
  /** The folder main's save dialog returns for an export; null as if cancelled. */
  evidenceExportDir?: string | null
}

export interface RecordedCall {
  name: string
  args: unknown[]
}

/** What the tests reach through window.__camguardStandIn. */
export interface StandInControl {
  calls: RecordedCall[]
  /** Main pushes a new status (as the engine would). */
  pushStatus(status: StatusView): void
  /** Main asks the window for a view (as a notification click would). */
  navigate(view: View): void
  listenerCount(): { status: number; navigate: number }
  state(): { status: StatusView; settings: Settings; activity: ActivitySession[]; evidence: EvidenceEntry[] }
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

export function createStandInApi(config: StandInConfig): { api: CamGuardApi; control: StandInControl } {
  let status = clone(config.status)
  let settings = clone(config.settings)
  let activity = clone(config.activity)
  const topics = clone(config.topics)
  const calls: RecordedCall[] = []
  const statusListeners = new Set<(s: StatusView) => void>()
  const navigateListeners = new Set<(v: View) => void>()
  let evidence = clone(config.evidence ?? [])
  const picked = new Map<string, PickedFile>()
  let serial = 0
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')
  const nowIso = () => new Date().toISOString()
  /** Main's checks, in short: the shared schema, and tokens it handed out. */
  const filesFor = (tokens: string[], first: number): Attachment[] | string => {
    const out: Attachment[] = []
    for (const [i, t] of tokens.entries()) {
      const f = picked.get(t)
      if (!f) return 'a chosen file is no longer available; choose it again'
      out.push({
        id: `a${first + i}`,
        name: f.name,
        file: `a${first + i}-${f.name}`,
        size: f.size,
        modifiedAt: nowIso(),
        addedAt: nowIso(),
        sha256: hex(++serial, 64),
      })
    }
    tokens.forEach((t) => picked.delete(t))
    return out
  }

  const record = (name: string, args: unknown[]): void => {
    calls.push({ name, args: clone(args) })
  }
  const later = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString()
  const push = (): void => {
    for (const l of statusListeners) l(clone(status))
  }
  const recompute = (): void => {
    status.snapshot.state =
      status.apps.length || status.snapshot.state !== 'on' ? status.snapshot.state : 'off'
    if (status.snapshot.state === 'off') {
      status.apps = []
      status.since = null
      status.unexpected = false
      status.reasons = []
      status.remindAt = null
      if (status.snoozedUntil === 'until-off') status.snoozedUntil = null
      return
    }
    const untrusted = status.apps.some((a) => !isTrusted(a, trustEntries(settings.trustedApps)))
    status.reasons = status.reasons.filter((r) => r !== 'untrusted-app')
    if (untrusted) status.reasons.unshift('untrusted-app')
    status.unexpected = status.reasons.length > 0
  }

  const api: CamGuardApi = {
    async getStatus() {
      record('getStatus', [])
      return clone(status)
    },
    async getSettings() {
      record('getSettings', [])
      return clone(settings)
    },
    async setSetting(key, value): Promise<SetSettingResult> {
      record('setSetting', [key, value])
      const refused = config.refuse?.[key]
      if (refused) return { ok: false, error: refused }
      const checked = validateSetting(key, value)
      if (!checked.ok) return { ok: false, error: checked.error }
      settings = { ...settings, [key as SettingsKey]: checked.value }
      return { ok: true, settings: clone(settings) }
    },
    async trustApp(app) {
      record('trustApp', [app])
      // As main does: the program of the app using a device now, never just the name, for that device.
      const using = [
        ...status.apps.map((a) => ({ a, kind: 'camera' as const })),
        ...(status.microphone?.apps ?? []).map((a) => ({ a, kind: 'microphone' as const })),
      ].filter(({ a }) => a.exe && a.name === app.name && (app.pid === null || a.pid === app.pid))
      if (using.length === 0) throw new Error(`${app.name} is not using the camera or the microphone now`)
      settings.trustedApps = trustInstead(
        trustEntries(settings.trustedApps),
        app.name,
        using.map(({ a, kind }) => ({ exe: a.exe!, name: app.name, kinds: [kind] })).reduce(addTrust, []),
      )
      recompute()
      push()
      return clone(settings)
    },
    async untrustApp(name) {
      record('untrustApp', [name])
      const gone = entriesNamed(trustEntries(settings.trustedApps), name)
      settings.trustedApps = trustEntries(settings.trustedApps).filter(
        (e) => !gone.some((g) => g.name === e.name && g.exe === e.exe),
      )
      recompute()
      push()
      return clone(settings)
    },
    async stopApp(pid): Promise<StopAppResult> {
      record('stopApp', [pid])
      const app = status.apps.find((a) => a.pid === pid)
      if (!app) return { ok: true, pid, outcome: 'gone', message: `Process ${pid} had already ended.` }
      status.apps = status.apps.filter((a) => a.pid !== pid)
      if (status.apps.length === 0) status.snapshot.state = 'off'
      recompute()
      push()
      return { ok: true, pid, outcome: 'terminated', message: `${app.name} (process ${pid}) was stopped.` }
    },
    async remindIn(minutes) {
      record('remindIn', [minutes])
      status.remindAt = later(minutes)
      return clone(status)
    },
    async snooze(minutes) {
      record('snooze', [minutes])
      status.snoozedUntil = minutes === null ? 'until-off' : later(minutes)
      return clone(status)
    },
    async pauseAlerts(minutes) {
      record('pauseAlerts', [minutes])
      status.pausedUntil = later(minutes)
      return clone(status)
    },
    async resumeAlerts() {
      record('resumeAlerts', [])
      status.pausedUntil = null
      return clone(status)
    },
    async getActivity() {
      record('getActivity', [])
      return clone(activity)
    },
    async clearActivity() {
      record('clearActivity', [])
      const n = activity.length
      activity = []
      return n
    },
    async exportActivity(format) {
      record('exportActivity', [format])
      return { saved: true, path: `${config.exportPath ?? '/home/sam/camguard-activity'}.${format}` }
    },
    async getGuide(region) {
      record('getGuide', region === undefined ? [] : [region])
      const effective: Region = region && region !== 'auto' ? region : config.defaultRegion
      return {
        region: effective,
        topics: clone(topicsForRegion(topics, effective)),
      }
    },
    async openExternal(url) {
      record('openExternal', [url])
      return isAllowedExternalUrl(url)
    },
    async hideWindow() {
      record('hideWindow', [])
    },
    async listEvidence() {
      record('listEvidence', [])
      return clone({ entries: [...evidence].sort(byTime), damaged: config.damagedEvidence ?? [] })
    },
    async pickEvidenceFiles() {
      record('pickEvidenceFiles', [])
      return (config.pickFiles ?? []).map((f) => {
        const file = { token: hex(++serial, 32), name: f.name, size: f.size }
        picked.set(file.token, file)
        return clone(file)
      })
    },
    async addEvidence(input, tokens) {
      record('addEvidence', [input, tokens])
      const parsed = evidenceInputSchema.safeParse(input)
      if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) }
      const files = filesFor(tokens, 1)
      if (typeof files === 'string') return { ok: false, error: files }
      const at = nowIso()
      const entry: EvidenceEntry = {
        id: hex(++serial, 8),
        ...parsed.data,
        attachments: files,
        createdAt: at,
        updatedAt: at,
      }
      evidence.push(entry)
      return { ok: true, entry: clone(entry) }
    },
    async updateEvidence(id, input, tokens, remove) {
      record('updateEvidence', [id, input, tokens, remove])
      const current = evidence.find((e) => e.id === id)
      if (!current) return { ok: false, error: `there is no evidence entry "${id}"` }
      const parsed = evidenceInputSchema.safeParse(input)
      if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) }
      const files = filesFor(tokens, current.attachments.length + 1)
      if (typeof files === 'string') return { ok: false, error: files }
      const kept = current.attachments.filter((a) => !remove.includes(a.id))
      const entry = { ...current, ...parsed.data, attachments: [...kept, ...files], updatedAt: nowIso() }
      evidence = evidence.map((e) => (e.id === id ? entry : e))
      return { ok: true, entry: clone(entry) }
    },
    async deleteEvidence(id) {
      record('deleteEvidence', [id])
      const entry = evidence.find((e) => e.id === id)
      if (!entry) return { ok: false, error: `there is no evidence entry "${id}"` }
      evidence = evidence.filter((e) => e.id !== id)
      return { ok: true, entry: clone(entry) }
    },
    async deleteAllEvidence(confirm) {
      record('deleteAllEvidence', [confirm])
      const result = {
        entries: evidence.length,
        files: evidence.reduce((n, e) => n + e.attachments.length, 0),
      }
      evidence = []
      return result
    },
    async exportEvidence(request) {
      record('exportEvidence', [request])
      const dir =
        config.evidenceExportDir === undefined ? '/home/sam/Documents/evidence' : config.evidenceExportDir
      if (dir === null) return { ok: true, summary: null }
      const inRange = evidence.filter(
        (e) =>
          (!request.from || e.at.slice(0, 10) >= request.from) &&
          (!request.to || e.at.slice(0, 10) <= request.to),
      )
      if (inRange.length === 0) return { ok: false, error: 'no entries fall between those dates' }
      return {
        ok: true,
        summary: {
          dir,
          zip: request.zip ? `${dir}.zip` : null,
          pdf: request.pdf ? `${dir}/report.pdf` : null,
          entries: inRange.length,
          attachments: inRange.reduce((n, e) => n + e.attachments.length, 0),
          sessions: 2,
          problems: [],
        },
      }
    },
    onStatus(listener) {
      record('onStatus', [])
      statusListeners.add(listener)
      return () => {
        statusListeners.delete(listener)
      }
    },
    onNavigate(listener) {
      record('onNavigate', [])
      navigateListeners.add(listener)
      return () => {
        navigateListeners.delete(listener)
      }
    },
  }

  const control: StandInControl = {
    calls,
    pushStatus(next) {
      status = clone(next)
      push()
    },
    navigate(view) {
      for (const l of navigateListeners) l(view)
    },
    listenerCount: () => ({ status: statusListeners.size, navigate: navigateListeners.size }),
    state: () => clone({ status, settings, activity, evidence }),
  }
  return { api, control }
}

declare global {
  interface Window {
    __camguardStandIn?: StandInControl
  }
}

/** Entry point of the injected bundle: installs the stand-in before the renderer's own script runs. */
export function installStandIn(config: StandInConfig): void {
  const { api, control } = createStandInApi(config)
  // Frozen like the contextBridge's object: the renderer cannot replace parts of it.
  Object.defineProperty(window, 'camguard', {
    value: Object.freeze(api),
    configurable: false,
    writable: false,
  })
  window.__camguardStandIn = control
}
