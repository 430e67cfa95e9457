import { describe, expect, it } from 'vitest'
import {
  describePayment,
  entriesInRange,
  evidenceInputSchema,
  formatBytes,
  parseDayBound,
  parseEvidenceTime,
  parsePaymentText,
} from './evidence.js'

const now = new Date(2026, 10, 28, 15, 0) // local time, whatever the zone

describe('parseEvidenceTime', () => {
  it.each([
    ['2026-11-27 21:40', new Date(2026, 10, 27, 21, 40)],
    ['2026-11-27T21:40', new Date(2026, 10, 27, 21, 40)],
    ['2026-11-27T21:40:30', new Date(2026, 10, 27, 21, 40, 30)],
    ['2026-11-27', new Date(2026, 10, 27)],
    ['now', now],
    ['2026-11-27T21:40:00Z', new Date(Date.UTC(2026, 10, 27, 21, 40))],
    ['2026-11-27T21:40:00+05:30', new Date(Date.UTC(2026, 10, 27, 16, 10))],
  ])('reads %s', (raw, expected) => {
    expect(parseEvidenceTime(raw, now)).toEqual({ ok: true, value: expected.toISOString() })
  })

  it.each([
    ['yesterday', /not a date and time; write it like 2026-11-28 14:30/],
    ['2026-11-31 10:00', /not a date and time/],
    ['2026-02-29', /not a date and time/],
    ['2026-11-27 25:00', /not a date and time/],
    ['2026-12-01 10:00', /is in the future/],
    ['1970-01-01', /too long ago/],
  ])('refuses %s', (raw, message) => {
    const r = parseEvidenceTime(raw, now)
    expect(r.ok).toBe(false)
    expect(r.ok ? '' : r.error).toMatch(message)
  })
})

describe('date ranges', () => {
  it('takes a day as a whole day: --from is its start, --to its end', () => {
    const from = parseDayBound('2026-11-20', 'start')
    const to = parseDayBound('2026-11-20', 'end')
    expect(from).toEqual({ ok: true, value: new Date(2026, 10, 20) })
    expect(to).toEqual({ ok: true, value: new Date(2026, 10, 20, 23, 59, 59, 999) })
    const entries = [
      { at: new Date(2026, 10, 19, 23, 59).toISOString() },
      { at: new Date(2026, 10, 20, 0, 0).toISOString() },
      { at: new Date(2026, 10, 20, 23, 59).toISOString() },
      { at: new Date(2026, 10, 21, 0, 0).toISOString() },
    ]
    expect(entriesInRange(entries, from.ok ? from.value : undefined, to.ok ? to.value : undefined)).toEqual(
      entries.slice(1, 3),
    )
    expect(parseDayBound('20/11/2026', 'start')).toEqual({
      ok: false,
      error: '"20/11/2026" is not a date; write it like 2026-11-28',
    })
  })
})

describe('payments', () => {
  it.each([
    ['200', { amount: '200', currency: '', method: '', reference: '' }],
    [
      '200 GBP, gift card, ref 123',
      { amount: '200', currency: 'GBP', method: 'gift card', reference: '123' },
    ],
    ['£49.99, PayPal', { amount: '49.99', currency: '£', method: 'PayPal', reference: '' }],
    [
      '1,000 USD, bank transfer, reference: AB-9',
      { amount: '1000', currency: 'USD', method: 'bank transfer', reference: 'AB-9' },
    ],
    ['0.0042 BTC, ref #bc1qxy', { amount: '0.0042', currency: 'BTC', method: '', reference: '#bc1qxy' }],
  ])('reads "%s"', (raw, expected) => {
    expect(parsePaymentText(raw, 'paid')).toEqual({ ok: true, value: { kind: 'paid', ...expected } })
  })

  it('refuses what does not start with an amount', () => {
    expect(parsePaymentText('a lot', 'paid')).toEqual({
      ok: false,
      error: '"a lot" does not start with an amount; write it like "200 GBP, gift card, ref 123"',
    })
    expect(parsePaymentText('12.3.4 GBP', 'asked').ok).toBe(false)
  })

  it('says a payment in one way everywhere', () => {
    expect(
      describePayment({
        kind: 'paid',
        amount: '200',
        currency: 'GBP',
        method: 'gift card',
        reference: '123',
      }),
    ).toBe('Paid 200 GBP by gift card (reference 123)')
    expect(describePayment({ kind: 'asked', amount: '500', currency: '', method: '', reference: '' })).toBe(
      'Asked for 500',
    )
  })
})

describe('evidenceInputSchema', () => {
  it('trims text, fills defaults and keeps line breaks in what was said', () => {
    const parsed = evidenceInputSchema.parse({ at: '2026-11-27T21:40:00Z', demand: '  Pay\nnow  ' })
    expect(parsed).toEqual({
      at: '2026-11-27T21:40:00Z',
      app: '',
      accounts: [],
      links: [],
      demand: 'Pay\nnow',
      payments: [],
      notes: '',
    })
  })

  it('refuses control characters, empty names, too many items and unknown fields', () => {
    const bad = [
      { at: '2026-11-27T21:40:00Z', notes: 'a\u0007b' },
      { at: '2026-11-27T21:40:00Z', app: 'two\nlines' },
      { at: '2026-11-27T21:40:00Z', accounts: ['  '] },
      { at: '2026-11-27T21:40:00Z', links: Array(51).fill('x') },
      { at: '2026-11-27T21:40:00Z', extra: 1 },
      { at: 'tomorrow' },
    ]
    for (const b of bad) expect(evidenceInputSchema.safeParse(b).success, JSON.stringify(b)).toBe(false)
  })
})

it('formats sizes', () => {
  expect([0, 1, 999, 2048, 1_234_567, 5e9].map(formatBytes)).toEqual([
    '0 bytes',
    '1 byte',
    '999 bytes',
    '2.0 kB',
    '1.2 MB',
    '5.0 GB',
  ])
})
