/** A device's state, as the Status view tells it. */
export type StateKind = 'off' | 'expected' | 'unexpected' | 'unknown' | 'loading'

export function StateIcon({ kind }: { kind: StateKind }) {
  // Shapes differ as well as colours: a tick, a dot, a warning triangle, a question mark.
  return (
    <svg className="state-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {kind === 'off' && <path d="M5 12.5l4.5 4.5L19 7.5" className="stroke" />}
      {kind === 'expected' && <circle cx="12" cy="12" r="6" className="fill" />}
      {kind === 'unexpected' && (
        <>
          <path d="M12 3 2.5 20h19L12 3Z" className="stroke" />
          <path d="M12 10v4.5M12 17.2v.3" className="stroke" />
        </>
      )}
      {(kind === 'unknown' || kind === 'loading') && (
        <>
          <circle cx="12" cy="12" r="9" className="stroke" />
          <path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7M12 16.8v.3" className="stroke" />
        </>
      )}
    </svg>
  )
}
