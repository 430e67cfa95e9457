import { useEffect, useRef } from 'react'

/** Shift pressed this many times within WINDOW_MS hides the window (a habit from other safety sites). */
export const SHIFT_PRESSES = 3
export const SHIFT_WINDOW_MS = 1000

/** Calls `hide` on Escape, and on Shift pressed three times within about a second. */
export function useQuickExitKeys(hide: () => void, enabled: boolean): void {
  const hideRef = useRef(hide)
  useEffect(() => {
    hideRef.current = hide
  }, [hide])

  useEffect(() => {
    if (!enabled) return
    let shiftTimes: number[] = []
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        shiftTimes = []
        event.preventDefault()
        hideRef.current()
        return
      }
      if (event.key === 'Shift') {
        if (event.repeat) return
        const now = performance.now()
        shiftTimes = [...shiftTimes.filter((t) => now - t <= SHIFT_WINDOW_MS), now]
        if (shiftTimes.length >= SHIFT_PRESSES) {
          shiftTimes = []
          hideRef.current()
        }
        return
      }
      // Any other key (Shift+Tab, typing capitals) starts the count again.
      shiftTimes = []
    }
    // Capture phase: a focused control cannot swallow the quick exit.
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [enabled])
}
