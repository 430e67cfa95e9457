// What every settings control shares: how it saves, and the messages under it.
import type { SettingsKey } from '../../shared/settings.js'

/** Saves one setting: checked here first, then by main. Resolves to an error message, or null when saved. */
export type Save = (key: SettingsKey, value: unknown) => Promise<string | null>

export interface FieldMessageProps {
  id: string
  error: string | null
  saved: string | null
}

/** The error (referenced by the control's aria-describedby) and a polite "Saved" note. */
export function FieldMessages({ id, error, saved }: FieldMessageProps) {
  return (
    <>
      {error && (
        <p id={`${id}-error`} className="field-error">
          <span aria-hidden="true" className="error-mark">
            !
          </span>{' '}
          {error}
        </p>
      )}
      <p role="status" className="saved-note">
        {!error && saved ? saved : ''}
      </p>
    </>
  )
}

export function describedBy(id: string, error: string | null, hint = true): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}
