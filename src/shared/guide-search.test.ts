import { describe, expect, it } from 'vitest'
import { guideSteps, plainText, searchGuide, topicsMentioning } from './guide-search.js'

const topics = [
  {
    id: 'money',
    title: 'Money',
    body: "Intro about money.\n\n## Steps\n\n1. Don't **pay**. Tell your [bank](https://x.org).\n2. Keep receipts.\n",
  },
  {
    id: 'bank',
    title: 'Your bank',
    body: 'Call your bank.\n\n- If you already paid, ask about the payment.\n',
  },
]

describe('guide search', () => {
  it('finds the steps holding every word, without Markdown, best first', () => {
    const found = searchGuide(topics, 'bank')
    expect(found.map((m) => [m.topicId, m.text])).toEqual([
      ['bank', 'Call your bank.'],
      ['money', "Don't pay. Tell your bank."],
    ])
    expect(searchGuide(topics, 'pay bank').map((m) => m.text)).toEqual(["Don't pay. Tell your bank."])
  })

  it('matches the start of longer words, ignores case and accents', () => {
    expect(searchGuide(topics, 'RECEIPT').map((m) => m.text)).toEqual(['Keep receipts.'])
    expect(searchGuide(topics, 'páid').map((m) => m.topicId)).toEqual(['bank'])
  })

  it('finds nothing for an empty query', () => {
    expect(searchGuide(topics, '  ')).toEqual([])
    expect(searchGuide(topics, 'zzqx')).toEqual([])
  })

  it('lists each topic that mentions a word once', () => {
    expect(topicsMentioning(topics, 'pay')).toEqual(['money', 'bank'])
  })
})

describe('guideSteps and plainText', () => {
  it('split a topic into headings, paragraphs and list items as plain words', () => {
    expect(guideSteps(topics[0]!.body)).toEqual([
      { kind: 'paragraph', text: 'Intro about money.' },
      { kind: 'heading', text: 'Steps' },
      { kind: 'step', text: "Don't pay. Tell your bank." },
      { kind: 'step', text: 'Keep receipts.' },
    ])
    expect(plainText('A **b** [c](https://x.org) &amp; `d`')).toBe('A b c & d')
  })
})
