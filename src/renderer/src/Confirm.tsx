import { useEffect, useId, useRef, type ReactNode } from 'react'

interface ConfirmProps {
  question: ReactNode
  detail?: ReactNode
  confirmLabel: string
  cancelLabel?: string
  onConfirm: () => void
  onCancel: () => void
  busy?: boolean
}

/** An inline confirmation step (not a modal): the question, then "do it" and "cancel". */
export function Confirm({
  question,
  detail,
  confirmLabel,
  cancelLabel = 'Cancel',
  onConfirm,
  onCancel,
  busy = false,
}: ConfirmProps) {
  const id = useId()
  const cancelRef = useRef<HTMLButtonElement>(null)
  // Focus lands on Cancel: the safe choice is the one a stray Enter picks.
  useEffect(() => {
    cancelRef.current?.focus()
  }, [])
  return (
    <div
      className="confirm"
      role="group"
      aria-labelledby={`${id}-q`}
      aria-describedby={detail ? `${id}-d` : undefined}
    >
      <p id={`${id}-q`} className="confirm-question">
        {question}
      </p>
      {detail && (
        <p id={`${id}-d`} className="confirm-detail">
          {detail}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="button danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
        <button type="button" className="button" ref={cancelRef} onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </div>
  )
}
