import type { CategoryAudienceStore } from '../../src/index';

/** One case of a store's previous snapshot: the evaluations marked, then one `previousTotal`. */
export interface EvaluationCase {
  name: string;
  /** Collection times marked evaluated, in order, with the categories watched at each. */
  marks: readonly (readonly [string, readonly string[]])[];
  category: string;
  before: string;
  expected: { timestamp: string; total: number } | undefined;
}

/** The one part every case starts from: Music, 120 viewers at 21:00. */
export async function recordMusicPart(audience: CategoryAudienceStore): Promise<void> {
  await audience.recordPartial({ category: 'Music', timestamp: '2026-11-29T21:00:00Z', partialKey: 'aa', espectadores: 120 });
}

/**
 * What a store answers for the previous snapshot, whatever keeps it (local files, DynamoDB): an
 * evaluated time with no part is no audience (0); no evaluated time, or one that did not watch
 * the category, is no baseline (undefined).
 */
export const evaluationCases: readonly EvaluationCase[] = [
  {
    name: 'takes the newest evaluated time before the given one, with its total',
    marks: [
      ['2026-11-29T20:30:00Z', ['music']],
      ['2026-11-29T21:00:00Z', ['Music']],
      ['2026-11-29T22:00:00Z', ['music']],
    ],
    category: 'MUSIC',
    before: '2026-11-29T21:30:00Z',
    expected: { timestamp: '2026-11-29T21:00:00.000Z', total: 120 },
  },
  {
    name: 'reads a category without a part at the newest evaluated time as no audience',
    marks: [
      ['2026-11-29T21:00:00Z', ['music']],
      ['2026-11-29T21:15:00Z', ['music']],
    ],
    category: 'Music',
    before: '2026-11-29T21:30:00Z',
    expected: { timestamp: '2026-11-29T21:15:00.000Z', total: 0 },
  },
  {
    name: 'gives no baseline when no earlier time was evaluated, whatever parts exist',
    marks: [['2026-11-29T21:30:00Z', ['music']]],
    category: 'Music',
    before: '2026-11-29T21:30:00Z',
    expected: undefined,
  },
  {
    name: 'gives no baseline when the newest evaluated time did not watch the category',
    marks: [
      ['2026-11-29T21:00:00Z', ['music']],
      ['2026-11-29T21:15:00Z', ['just chatting']],
    ],
    category: 'Music',
    before: '2026-11-29T21:30:00Z',
    expected: undefined,
  },
  {
    name: 'adds the categories of a time marked again to those it had',
    marks: [
      ['2026-11-29T21:00:00Z', ['just chatting']],
      ['2026-11-29T21:00:00Z', ['Music']],
    ],
    category: 'just chatting',
    before: '2026-11-29T21:30:00Z',
    expected: { timestamp: '2026-11-29T21:00:00.000Z', total: 0 },
  },
];
