// Activity export for the window's "Export" button. Belongs in core next to the activity log (the CLI could
// offer it too); kept here, tiny, until core has `formatActivity(sessions, 'csv' | 'json')`.
import type { ActivitySession } from '../shared/types.js'

const CSV_COLUMNS = ['start', 'end', 'durationMs', 'apps', 'unexpected', 'reasons'] as const

/** RFC 4180 quoting, and a leading ' on values a spreadsheet would run as a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function formatActivity(sessions: ActivitySession[], format: 'csv' | 'json'): string {
  if (format === 'json') return JSON.stringify(sessions, null, 2) + '\n'
  const rows = sessions.map((s) =>
    [
      s.start,
      s.end ?? '',
      s.durationMs === null ? '' : String(s.durationMs),
      s.apps.map((a) => (a.pid === null ? a.name : `${a.name} (${a.pid})`)).join('; '),
      String(s.unexpected),
      s.reasons.join('; '),
    ].map(csvCell),
  )
  return [CSV_COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n'
}
