import { describe, expect, it } from 'vitest'
import {
  guideLinkTarget,
  helpTopicFor,
  phoneNumberParts,
  sortTopics,
  topicsForRegion,
  withoutMissingViews,
  type GuideTopic,
} from './guide.js'
import type { Region } from './settings.js'

const topic = (id: string, body: string, regions: Region[] | null = null, order = 1): GuideTopic => ({
  id,
  title: id,
  order,
  regions,
  body,
})

describe('topicsForRegion', () => {
  const topics = [
    topic('what', 'Shared.\n'),
    topic('help-uk', '## In an emergency\n\n- **999** now.\n\n## Report it\n\n- 101 later.\n', ['uk'], 2),
    topic('help-other', 'Nothing for emergencies here.\n', ['other'], 2),
    topic('isles', 'Isles.\n', ['uk', 'ie'], 3),
    topic('danger', 'If you are in danger:\n\n{{emergency}}\n\nThen breathe.\n'),
  ]

  it('keeps topics for every region plus the region own, in the order given', () => {
    expect(topicsForRegion(topics, 'uk').map((t) => t.id)).toEqual(['what', 'help-uk', 'isles', 'danger'])
    expect(topicsForRegion(topics, 'ie').map((t) => t.id)).toEqual(['what', 'isles', 'danger'])
  })

  it('puts the region help page emergency section where a topic says {{emergency}}', () => {
    const danger = topicsForRegion(topics, 'uk').find((t) => t.id === 'danger')!
    expect(danger.body).toBe('If you are in danger:\n\n- **999** now.\n\nThen breathe.\n')
    expect(danger.body).not.toContain('101')
  })

  it('still says something useful when the region has no emergency section or no help page', () => {
    for (const region of ['other', 'ie'] as const) {
      const danger = topicsForRegion(topics, region).find((t) => t.id === 'danger')!
      expect(danger.body, region).toContain('Call your local emergency number.')
      expect(danger.body, region).not.toContain('{{')
    }
  })

  it('does not change what it is given', () => {
    topicsForRegion(topics, 'uk')
    expect(topics[4]!.body).toContain('{{emergency}}')
  })

  it('finds the help topic by its file name', () => {
    expect(helpTopicFor(topics, 'uk')?.id).toBe('help-uk')
    expect(helpTopicFor(topics, 'us')).toBeUndefined()
  })

  it('sorts by order, then id', () => {
    expect(
      sortTopics([topic('b', 'x', null, 2), topic('z', 'x'), topic('a', 'x', null, 2)]).map((t) => t.id),
    ).toEqual(['z', 'a', 'b'])
  })
})

describe('guideLinkTarget', () => {
  it('tells topics, views and web addresses apart', () => {
    expect(guideLinkTarget('#help')).toEqual({ kind: 'topic', id: 'help' })
    expect(guideLinkTarget('guide:if-it-happens')).toEqual({ kind: 'topic', id: 'if-it-happens' })
    expect(guideLinkTarget('./evidence.md')).toEqual({ kind: 'topic', id: 'evidence' })
    expect(guideLinkTarget('view:evidence')).toEqual({ kind: 'view', view: 'evidence' })
    expect(guideLinkTarget('https://stopncii.org')).toBeNull()
    expect(guideLinkTarget('evidence')).toBeNull()
    expect(guideLinkTarget('#Bad Id')).toBeNull()
    expect(guideLinkTarget('view:../etc')).toBeNull()
  })
})

describe('withoutMissingViews', () => {
  const body = 'Keep it.\n\n- Save it in the [notebook](view:evidence).\n- Other point.\n'
  it('leaves out the list items that link to a view this face cannot open', () => {
    expect(withoutMissingViews(body, () => false)).toBe('Keep it.\n\n- Other point.\n')
  })
  it('keeps them when the view is there', () => {
    expect(withoutMissingViews(body, (v) => v === 'evidence')).toBe(body)
  })
})

describe('phoneNumberParts', () => {
  const phones = (text: string) =>
    phoneNumberParts(text)
      .filter((p) => p.phone)
      .map((p) => p.text)

  it('finds numbers written with spaces, hyphens and letters', () => {
    expect(phones('Call the Garda Confidential Line: 1800 666 111.')).toEqual(['1800 666 111'])
    expect(phones('call 1-800-THE-LOST (1-800-843-5678) or 1-800-CALL-FBI')).toEqual([
      '1-800-THE-LOST',
      '1-800-843-5678',
      '1-800-CALL-FBI',
    ])
    expect(phones('Textphone: 18001 101. Lifeline 13 11 14, 9-8-8.')).toEqual([
      '18001 101',
      '13 11 14',
      '9-8-8',
    ])
  })

  it('leaves dates, times and single numbers alone, and keeps every character', () => {
    const text = 'Call 999 or 112. Monday to Friday, 10:00 to 16:00, from 4 December 2025, ages 5 to 25.'
    expect(phones(text)).toEqual([])
    const mixed = 'Samaritans: 116 123, free.'
    expect(
      phoneNumberParts(mixed)
        .map((p) => p.text)
        .join(''),
    ).toBe(mixed)
  })
})
