import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react'
import {
  REGION_NAMES,
  REGIONS,
  notANumberMessage,
  validateSetting,
  type Settings,
  type SettingsKey,
} from '../../shared/settings.js'
import { useApi } from './camguard-api.js'
import {
  addTrust,
  baseName,
  isAbsolutePath,
  isNameOnly,
  trustEntries,
  trustEntryFor,
  type TrustEntry,
} from '../../shared/trust.js'
import { FieldMessages, describedBy, type Save } from './field-messages.js'
import { HooksSettings } from './HooksSettings.js'
import { ForeignText, foreignString } from './ForeignText.js'

function parseNumber(key: SettingsKey, text: string): number | string {
  const t = text.trim().replace(',', '.')
  if (t === '' || !/^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(t)) return notANumberMessage(key)
  return Number(t)
}

interface NumberSettingProps {
  name: 'stillOnMinutes' | 'remindEveryMinutes' | 'awayMinutes' | 'pollIntervalMs'
  label: string
  unit: string
  hint: ReactNode
  value: number
  save: Save
}

function NumberSetting({ name, label, unit, hint, value, save }: NumberSettingProps) {
  const id = useId()
  const [text, setText] = useState(String(value))
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => setText(String(value)), [value])

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setSaved(null)
    const parsed = parseNumber(name, text)
    const problem = typeof parsed === 'string' ? parsed : await save(name, parsed)
    setError(problem)
    if (problem) input.current?.focus()
    else setSaved(`Saved: ${parsed} ${unit}.`)
  }

  return (
    <form className="setting" noValidate onSubmit={(e) => void submit(e)}>
      <label htmlFor={id} className="setting-label">
        {label}
      </label>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      <div className="input-row">
        <input
          id={id}
          ref={input}
          name={name}
          type="text"
          inputMode="decimal"
          className="number-input"
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error)}
          onChange={(e) => setText(e.target.value)}
        />
        <span className="unit">{unit}</span>
        <button type="submit" className="button">
          Save<span className="visually-hidden"> {label.toLowerCase()}</span>
        </button>
      </div>
      <FieldMessages id={id} error={error} saved={saved} />
    </form>
  )
}

function TrustedApps({
  stored,
  save,
  trustByName,
}: {
  stored: Settings['trustedApps']
  save: Save
  /** Trusts the program the app by this name runs now (main resolves it); returns a problem or null. */
  trustByName: (name: string) => Promise<string | null>
}) {
  const id = useId()
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)
  const entries = trustEntries(stored)

  const add = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setSaved(null)
    const typed = name.trim()
    let problem: string | null
    if (!typed) problem = 'app names cannot be empty'
    else if (isAbsolutePath(typed)) {
      // A path is the program itself; an interpreter is refused (it would trust every script).
      const made = trustEntryFor({ name: baseName(typed), exe: typed }, ['camera'])
      problem = made.ok ? await save('trustedApps', addTrust(entries, made.entry)) : made.why
    } else problem = await trustByName(typed)
    setError(problem)
    if (problem) input.current?.focus()
    else {
      setName('')
      setSaved(`${foreignString(typed)} is now trusted by its program file.`)
    }
  }

  const upgrade = async (entry: TrustEntry): Promise<void> => {
    setSaved(null)
    const problem = await trustByName(entry.name)
    setError(problem)
    if (!problem) setSaved(`${foreignString(entry.name)} is now trusted by its program file.`)
  }

  const remove = async (entry: TrustEntry): Promise<void> => {
    setSaved(null)
    const problem = await save(
      'trustedApps',
      entries.filter((e) => e !== entry),
    )
    setError(problem)
    if (!problem) {
      setSaved(`${foreignString(entry.name)} is no longer trusted.`)
      input.current?.focus()
    }
  }

  return (
    <>
      {entries.length === 0 ? (
        <p>
          No trusted apps yet. When an app you use for calls turns the camera on, you can trust it from
          Status.
        </p>
      ) : (
        <ul className="trusted-list">
          {entries.map((entry, index) => (
            <li key={`${entry.exe ?? ''}-${entry.name}-${index}`}>
              <ForeignText text={entry.name} className="trusted-name" />{' '}
              {isNameOnly(entry) ? (
                <>
                  <span className="trusted-weak">by name only (weaker)</span>
                  <button type="button" className="button small" onClick={() => void upgrade(entry)}>
                    Upgrade
                    <span className="visually-hidden"> {foreignString(entry.name)} to its program file</span>
                  </button>
                </>
              ) : (
                <ForeignText text={entry.exe ?? `app ${entry.bundleId ?? ''}`} className="path" />
              )}
              <button type="button" className="button small" onClick={() => void remove(entry)}>
                Remove<span className="visually-hidden"> {foreignString(entry.name)} from trusted apps</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {entries.some(isNameOnly) && (
        <p className="hint">
          An app trusted by name only is trusted whatever program calls itself that name. Upgrade it while the
          app is running, so that only its own program file is trusted.
        </p>
      )}
      <form className="setting" noValidate onSubmit={(e) => void add(e)}>
        <label htmlFor={id} className="setting-label">
          Add a trusted app
        </label>
        <p id={`${id}-hint`} className="hint">
          The name of an app using the camera now, as Status shows it (for example “zoom”), or the full path
          of its program file. CamGuard trusts the program file, never just the name.
        </p>
        <div className="input-row">
          <input
            id={id}
            ref={input}
            type="text"
            value={name}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(id, error)}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="button">
            Add<span className="visually-hidden"> trusted app</span>
          </button>
        </div>
        <FieldMessages id={id} error={error} saved={saved} />
      </form>
    </>
  )
}

const DEFAULT_QUIET = { start: '22:00', end: '07:00' }

interface TimeFieldProps {
  id: string
  label: string
  inputRef: RefObject<HTMLInputElement | null>
  value: string
  placeholder: string
  /** The error message's id when this field is the one at fault. */
  errorId: string | null
  onChange: (value: string) => void
}

function TimeField({ id, label, inputRef, value, placeholder, errorId, onChange }: TimeFieldProps) {
  return (
    <span className="time-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        type="text"
        inputMode="numeric"
        className="time-input"
        value={value}
        placeholder={placeholder}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId ?? undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </span>
  )
}

function QuietHours({ value, save }: { value: Settings['quietHours']; save: Save }) {
  const id = useId()
  const [start, setStart] = useState(value?.start ?? DEFAULT_QUIET.start)
  const [end, setEnd] = useState(value?.end ?? DEFAULT_QUIET.end)
  const [error, setError] = useState<string | null>(null)
  const [bad, setBad] = useState<{ start: boolean; end: boolean }>({ start: false, end: false })
  const [saved, setSaved] = useState<string | null>(null)
  const startInput = useRef<HTMLInputElement>(null)
  const endInput = useRef<HTMLInputElement>(null)
  const on = value !== null

  useEffect(() => {
    if (value) {
      setStart(value.start)
      setEnd(value.end)
    }
  }, [value])

  const saveHours = async (): Promise<void> => {
    setSaved(null)
    const hours = { start: start.trim(), end: end.trim() }
    const startOk = validateSetting('quietHours', { ...hours, end: '00:00' }).ok
    const endOk = validateSetting('quietHours', { ...hours, start: '00:00' }).ok
    const problem = await save('quietHours', hours)
    setError(problem)
    const flags = problem ? { start: !startOk, end: !endOk } : { start: false, end: false }
    if (problem && !flags.start && !flags.end) flags.start = true
    setBad(flags)
    if (problem) (flags.start ? startInput : endInput).current?.focus()
    else setSaved(`Quiet hours saved: ${hours.start} to ${hours.end}.`)
  }

  const toggle = async (checked: boolean): Promise<void> => {
    if (checked) return saveHours()
    setSaved(null)
    const problem = await save('quietHours', null)
    setError(problem)
    setBad({ start: false, end: false })
    if (!problem) setSaved('Quiet hours are off.')
  }

  return (
    <form
      className="setting"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void saveHours()
      }}
    >
      <div className="check">
        <input
          id={`${id}-on`}
          type="checkbox"
          checked={on}
          aria-describedby={`${id}-hint`}
          onChange={(e) => void toggle(e.target.checked)}
        />
        <label htmlFor={`${id}-on`} className="setting-label">
          Quiet hours
        </label>
      </div>
      <p id={`${id}-hint`} className="hint">
        Camera use in these hours (for example at night) always counts as unexpected. Use 24-hour times like
        22:30.
      </p>
      {on && (
        <div className="input-row">
          <TimeField
            id={`${id}-start`}
            label="From"
            inputRef={startInput}
            value={start}
            placeholder="22:00"
            errorId={bad.start ? `${id}-error` : null}
            onChange={setStart}
          />
          <TimeField
            id={`${id}-end`}
            label="to"
            inputRef={endInput}
            value={end}
            placeholder="07:00"
            errorId={bad.end ? `${id}-error` : null}
            onChange={setEnd}
          />
          <button type="submit" className="button">
            Save<span className="visually-hidden"> quiet hours</span>
          </button>
        </div>
      )}
      <FieldMessages id={id} error={error} saved={saved} />
    </form>
  )
}

interface PatternsProps {
  name: 'devicePatterns' | 'micDevicePatterns'
  label: string
  hint: string
  /** What the saved note calls them. */
  what: string
  value: string[]
  save: Save
}

function DevicePatterns({ name, label, hint, what, value, save }: PatternsProps) {
  const id = useId()
  const [text, setText] = useState(value.join('\n'))
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const input = useRef<HTMLTextAreaElement>(null)

  useEffect(() => setText(value.join('\n')), [value])

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setSaved(null)
    const patterns = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
    const problem = await save(name, patterns)
    setError(problem)
    if (problem) input.current?.focus()
    else setSaved(`${what} saved.`)
  }

  return (
    <form className="setting" noValidate onSubmit={(e) => void submit(e)}>
      <label htmlFor={id} className="setting-label">
        {label}
      </label>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      <textarea
        id={id}
        ref={input}
        rows={3}
        value={text}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error)}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="button-row">
        <button type="submit" className="button">
          Save<span className="visually-hidden"> {what.toLowerCase()}</span>
        </button>
      </div>
      <FieldMessages id={id} error={error} saved={saved} />
    </form>
  )
}

/** A control saved as soon as it changes (radio, select, checkbox): its messages sit under it. */
function useInstantSave(save: Save) {
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const run = async (key: SettingsKey, value: unknown, savedText: string): Promise<void> => {
    setSaved(null)
    const problem = await save(key, value)
    setError(problem)
    if (!problem) setSaved(savedText)
  }
  return { error, saved, run }
}

function NotifyFor({ value, save }: { value: Settings['notifyFor']; save: Save }) {
  const id = useId()
  const { error, saved, run } = useInstantSave(save)
  const choices: [Settings['notifyFor'], string][] = [
    ['unexpected', 'Only when the camera or microphone turns on unexpectedly'],
    ['all', 'Every time the camera or microphone turns on'],
  ]
  return (
    <fieldset className="setting" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="setting-label">Tell me</legend>
      {choices.map(([choice, words]) => (
        <div className="check" key={choice}>
          <input
            id={`${id}-${choice}`}
            type="radio"
            name="notifyFor"
            value={choice}
            checked={value === choice}
            onChange={() => void run('notifyFor', choice, `Saved: ${words.toLowerCase()}.`)}
          />
          <label htmlFor={`${id}-${choice}`}>{words}</label>
        </div>
      ))}
      <FieldMessages id={id} error={error} saved={saved} />
    </fieldset>
  )
}

function RegionSetting({ value, save }: { value: Settings['region']; save: Save }) {
  const id = useId()
  const { error, saved, run } = useInstantSave(save)
  return (
    <div className="setting">
      <label htmlFor={id} className="setting-label">
        Where you are
      </label>
      <p id={`${id}-hint`} className="hint">
        The guide shows phone numbers and places to report for this place.
      </p>
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error)}
        onChange={(e) =>
          void run(
            'region',
            e.target.value,
            `Saved: ${e.target.value === 'auto' ? 'automatic, from this computer’s language' : REGION_NAMES[e.target.value as (typeof REGIONS)[number]]}.`,
          )
        }
      >
        <option value="auto">Automatic (this computer’s language)</option>
        {REGIONS.map((r) => (
          <option key={r} value={r}>
            {REGION_NAMES[r]}
          </option>
        ))}
      </select>
      <FieldMessages id={id} error={error} saved={saved} />
    </div>
  )
}

function AlertVirtualDevices({ value, save }: { value: boolean; save: Save }) {
  const id = useId()
  const { error, saved, run } = useInstantSave(save)
  return (
    <div className="setting">
      <div className="check">
        <input
          id={id}
          type="checkbox"
          checked={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error)}
          onChange={(e) =>
            void run(
              'alertVirtualDevices',
              e.target.checked,
              e.target.checked
                ? 'Virtual cameras and microphones now alert.'
                : 'Virtual cameras and microphones no longer alert.',
            )
          }
        />
        <label htmlFor={id} className="setting-label">
          Alert for virtual cameras and microphones (macOS: OBS, Camo…)
        </label>
      </div>
      <p id={`${id}-hint`} className="hint">
        A virtual device in use says nothing about the real camera or microphone, so by default it is only
        shown.
      </p>
      <FieldMessages id={id} error={error} saved={saved} />
    </div>
  )
}

function WatchMicrophone({ value, save }: { value: boolean; save: Save }) {
  const id = useId()
  const { error, saved, run } = useInstantSave(save)
  return (
    <div className="setting">
      <div className="check">
        <input
          id={id}
          type="checkbox"
          checked={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error)}
          onChange={(e) =>
            void run(
              'watchMicrophone',
              e.target.checked,
              e.target.checked
                ? 'CamGuard watches the microphone too.'
                : 'CamGuard no longer watches the microphone.',
            )
          }
        />
        <label htmlFor={id} className="setting-label">
          Watch the microphone too
        </label>
      </div>
      <p id={`${id}-hint`} className="hint">
        Alerts, reminders and history for the microphone, as for the camera.
      </p>
      <FieldMessages id={id} error={error} saved={saved} />
    </div>
  )
}

function StartAtLogin({ value, save }: { value: boolean; save: Save }) {
  const id = useId()
  const { error, saved, run } = useInstantSave(save)
  return (
    <div className="setting">
      <div className="check">
        <input
          id={id}
          type="checkbox"
          checked={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error)}
          onChange={(e) =>
            void run(
              'startAtLogin',
              e.target.checked,
              e.target.checked
                ? 'CamGuard will start when you log in.'
                : 'CamGuard will not start by itself.',
            )
          }
        />
        <label htmlFor={id} className="setting-label">
          Start CamGuard when I log in
        </label>
      </div>
      <p id={`${id}-hint`} className="hint">
        Recommended: CamGuard can only warn you while it is running.
      </p>
      <FieldMessages id={id} error={error} saved={saved} />
    </div>
  )
}

export function SettingsView() {
  const api = useApi()
  const id = useId()
  const [settings, setSettings] = useState<Settings | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)

  useEffect(() => {
    let alive = true
    api.getSettings().then(
      (s) => alive && setSettings(s),
      (e: unknown) => alive && setLoadError(e instanceof Error ? e.message : String(e)),
    )
    return () => {
      alive = false
    }
  }, [api])

  const trustByName = async (name: string): Promise<string | null> => {
    try {
      setSettings(await api.trustApp({ pid: null, name }))
      return null
    } catch (e) {
      return e instanceof Error
        ? e.message.replace(/^Error invoking remote method '[^']*': (Error: )?/, '')
        : String(e)
    }
  }

  const save: Save = async (key, value) => {
    const checked = validateSetting(key, value)
    if (!checked.ok) return checked.error
    try {
      const result = await api.setSetting(key, checked.value)
      if (!result.ok) return result.error
      setSettings(result.settings)
      return null
    } catch (e) {
      return `could not save ${key}: ${e instanceof Error ? e.message : String(e)}`
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>Settings</h1>
      {loadError && <p className="error-text">Settings could not be read: {loadError}</p>}
      {!settings && !loadError && <p>Loading…</p>}
      {settings && (
        <>
          <section aria-labelledby={`${id}-trusted`}>
            <h2 id={`${id}-trusted`}>Trusted apps</h2>
            <p className="hint">When one of these turns the camera on, CamGuard treats it as expected.</p>
            <TrustedApps stored={settings.trustedApps} save={save} trustByName={trustByName} />
          </section>

          <section aria-labelledby={`${id}-alerts`}>
            <h2 id={`${id}-alerts`}>Alerts and reminders</h2>
            <WatchMicrophone value={settings.watchMicrophone} save={save} />
            <AlertVirtualDevices value={settings.alertVirtualDevices} save={save} />
            <NotifyFor value={settings.notifyFor} save={save} />
            <NumberSetting
              name="stillOnMinutes"
              label="Remind me when the camera or microphone has been on for"
              unit="minutes"
              hint="A gentle reminder, in case you forgot to turn it off."
              value={settings.stillOnMinutes}
              save={save}
            />
            <NumberSetting
              name="remindEveryMinutes"
              label="Then remind me again every"
              unit="minutes"
              hint="Until it turns off or you snooze reminders."
              value={settings.remindEveryMinutes}
              save={save}
            />
            <NumberSetting
              name="awayMinutes"
              label="Count me as away after"
              unit="minutes"
              hint="With no keyboard or mouse use for this long, camera or microphone use counts as unexpected."
              value={settings.awayMinutes}
              save={save}
            />
            <QuietHours value={settings.quietHours} save={save} />
          </section>

          <section aria-labelledby={`${id}-guide`}>
            <h2 id={`${id}-guide`}>Guide</h2>
            <RegionSetting value={settings.region} save={save} />
          </section>

          <section aria-labelledby={`${id}-start`}>
            <h2 id={`${id}-start`}>Starting</h2>
            <StartAtLogin value={settings.startAtLogin} save={save} />
          </section>

          <section aria-labelledby={`${id}-hooks`}>
            <h2 id={`${id}-hooks`}>Your own commands</h2>
            <HooksSettings hooks={settings.hooks} save={save} />
          </section>

          <section aria-labelledby={`${id}-advanced`}>
            <h2 id={`${id}-advanced`}>Advanced</h2>
            <NumberSetting
              name="pollIntervalMs"
              label="Check the camera and microphone every"
              unit="milliseconds"
              hint="Where CamGuard has to check by itself. Smaller is quicker to notice, larger uses less power. 1000 is one second."
              value={settings.pollIntervalMs}
              save={save}
            />
            <DevicePatterns
              name="devicePatterns"
              label="Camera devices to watch"
              hint="One pattern a line. The usual one is /dev/video*."
              what="Camera devices"
              value={settings.devicePatterns}
              save={save}
            />
            <DevicePatterns
              name="micDevicePatterns"
              label="Microphone devices to watch"
              hint="One pattern a line. The usual one is /dev/snd/pcmC*D*c (Linux sound cards that record)."
              what="Microphone devices"
              value={settings.micDevicePatterns}
              save={save}
            />
          </section>
        </>
      )}
    </>
  )
}
