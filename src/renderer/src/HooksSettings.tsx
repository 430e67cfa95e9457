import { useId, useRef, useState, type FormEvent } from 'react'
import {
  HOOK_EVENTS,
  HOOK_EVENT_WORDS,
  describeCommand,
  newHookId,
  type Hook,
  type HookEvent,
} from '../../shared/hooks.js'
import { FieldMessages, type Save } from './field-messages.js'

/** The user's commands run on events: the same list as `camguard hook add | list | remove`. */
export function HooksSettings({ hooks, save }: { hooks: Hook[]; save: Save }) {
  const id = useId()
  const [events, setEvents] = useState<HookEvent[]>([])
  const [program, setProgram] = useState('')
  const [args, setArgs] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const programInput = useRef<HTMLInputElement>(null)
  const firstEvent = useRef<HTMLInputElement>(null)

  const toggle = (event: HookEvent, on: boolean) =>
    setEvents((list) => (on ? [...list, event] : list.filter((e) => e !== event)))

  const add = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setSaved(null)
    // One argument a line, as they are: no shell will split or expand them.
    const command = [program.trim(), ...args.split('\n').filter((line) => line !== '')]
    const chosen = HOOK_EVENTS.filter((ev) => events.includes(ev))
    let problem: string | null = null
    if (chosen.length === 0) problem = 'choose at least one event'
    else if (!command[0]) problem = 'give the program to run'
    else problem = await save('hooks', [...hooks, { id: newHookId(hooks), on: chosen, command }])
    setError(problem)
    if (problem) (chosen.length === 0 ? firstEvent : programInput).current?.focus()
    else {
      setEvents([])
      setProgram('')
      setArgs('')
      setSaved(`Added: ${describeCommand(command)}.`)
    }
  }

  const remove = async (hook: Hook): Promise<void> => {
    setSaved(null)
    const problem = await save(
      'hooks',
      hooks.filter((h) => h.id !== hook.id),
    )
    setError(problem)
    if (!problem) {
      setSaved(`Removed: ${describeCommand(hook.command)}.`)
      programInput.current?.focus()
    }
  }

  return (
    <>
      <p className="hint">
        CamGuard can run a program of yours when something happens, for example to switch on an “on air”
        light. It gets the event on its standard input and is stopped after 10 seconds. No shell is used: each
        argument is passed as you write it.
      </p>
      {hooks.length === 0 ? (
        <p>No commands yet.</p>
      ) : (
        <ul className="trusted-list">
          {hooks.map((hook) => (
            <li key={hook.id}>
              <span className="trusted-name">
                <bdi>{describeCommand(hook.command)}</bdi>
                <span className="hint"> when {hook.on.map((e) => HOOK_EVENT_WORDS[e]).join(', or ')}</span>
              </span>
              <button type="button" className="button small" onClick={() => void remove(hook)}>
                Remove<span className="visually-hidden"> the command {describeCommand(hook.command)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="setting" noValidate onSubmit={(e) => void add(e)}>
        <fieldset aria-describedby={error ? `${id}-error` : undefined}>
          <legend className="setting-label">Add a command: run it when</legend>
          {HOOK_EVENTS.map((event, i) => (
            <div className="check" key={event}>
              <input
                id={`${id}-${event}`}
                ref={i === 0 ? firstEvent : undefined}
                type="checkbox"
                checked={events.includes(event)}
                onChange={(e) => toggle(event, e.target.checked)}
              />
              <label htmlFor={`${id}-${event}`}>{HOOK_EVENT_WORDS[event]}</label>
            </div>
          ))}
        </fieldset>
        <label htmlFor={`${id}-program`} className="setting-label">
          Program
        </label>
        <p id={`${id}-program-hint`} className="hint">
          Its full path, or a name found on your PATH, for example /usr/bin/notify-send.
        </p>
        <input
          id={`${id}-program`}
          ref={programInput}
          type="text"
          value={program}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-program-hint ${id}-error` : `${id}-program-hint`}
          onChange={(e) => setProgram(e.target.value)}
        />
        <label htmlFor={`${id}-args`} className="setting-label">
          Arguments
        </label>
        <p id={`${id}-args-hint`} className="hint">
          One a line. Leave empty for none.
        </p>
        <textarea
          id={`${id}-args`}
          rows={3}
          value={args}
          spellCheck={false}
          aria-describedby={`${id}-args-hint`}
          onChange={(e) => setArgs(e.target.value)}
        />
        <div className="button-row">
          <button type="submit" className="button">
            Add<span className="visually-hidden"> command</span>
          </button>
        </div>
        <FieldMessages id={id} error={error} saved={saved} />
      </form>
    </>
  )
}
