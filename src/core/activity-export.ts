// Activity export (the window's "Export" button): CSV that spreadsheets open safely, or JSON.
import type { ActivitySession } from '../shared/types.js'

// kind is last, so a sheet built on the older columns still reads them; a record without one is a camera session.
const CSV_COLUMNS = ['start', 'end', 'durationMs', 'apps', 'unexpected', 'reasons', 'kind'] as const

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
      s.kind ?? 'camera',
    ].map(csvCell),
  )
  return [CSV_COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n'
}
