import { describe, expect, it } from 'vitest';
import { type DemoSummary, formatDemoSummary } from '../src/runtime/demo-summary';

const summaryOf = (overrides: Partial<DemoSummary>): DemoSummary => ({
  topCategories: [{ category: 'Just Chatting', hours: 1200 }],
  topChannels: [{ channel: 'canal_1', hours: 300, averageViewers: 150 }],
  contentShare: [
    { type: 'Game', percent: 55.81 },
    { type: 'Non-Game', percent: 44.19 },
  ],
  rows: { bronze: 10, silver: 10 },
  goldWatchHours: 1010,
  originalFormulaWatchHours: 4000,
  trueWatchHours: 1000,
  errorPercent: 1,
  originalFormulaErrorPercent: 300,
  ...overrides,
});

describe('the demo summary as text', () => {
  it('prints the share and how far gold and the original formula are from the truth', () => {
    // act
    const text = formatDemoSummary(summaryOf({}));
    // assess
    expect(text).toContain('Game vs non-game: Game 55.8%, Non-Game 44.2%');
    expect(text).toContain('ground truth over the same window and languages is 1,000 h (+1.00%; the original system\'s formula: 4,000 h, +300.00%)');
  });

  it('says there was nothing to measure when nothing was live, instead of a share and a 0 % error', () => {
    // prepare: what a demo over languages with no live channel (or a tiny population) reads
    const empty = summaryOf({ topCategories: [], topChannels: [], contentShare: [], goldWatchHours: 0, originalFormulaWatchHours: 0, trueWatchHours: 0, errorPercent: 0, originalFormulaErrorPercent: 0 });
    // act
    const text = formatDemoSummary(empty);
    // assess
    expect(text).toContain('Game vs non-game: no hours watched\n');
    expect(text).toContain("Accuracy: not measured: the simulator's ground truth has no hours watched over the window and languages.");
    expect(text).not.toContain('+0.00%');
  });
});
