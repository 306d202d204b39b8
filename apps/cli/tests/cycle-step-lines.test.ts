import type { ExtractSummary, SilverSummary } from '@twitch-pipeline/pipeline';
import { describe, expect, it } from 'vitest';
import { describeExtract, describeSilver } from '../src/runtime/cycle-messages';

// A full-platform crawl can quarantine thousands of records and meet thousands of 429s; the
// lines must write those counts as they write every other figure.

const extract: ExtractSummary = {
  snapshotId: '2026-11-29T12:00:00Z',
  dt: '2026-11-29',
  collectedAt: '2026-11-29T12:00:00Z',
  bronzeKey: 'bronze/streams/dt=2026-11-29/snapshot.parquet',
  collected: 96204,
  written: 95000,
  quarantined: 1204,
  pages: 963,
  retries: 2,
  rateLimited: 1500,
  durationMs: 120000,
  sanitised: 0,
  byLanguage: { all: 96204 },
  languagesWithoutStreams: [],
};

describe('the extract line of a cycle', () => {
  it('writes every count with thousands separators, the quarantined and rate-limited ones too', () => {
    // act
    const line = describeExtract(extract);

    // assess
    expect(line).toBe('95,000 streams to bronze, 1,204 quarantined, 963 pages, 2 retries, 1,500 rate-limited');
  });
});

describe('the silver line of a cycle', () => {
  it('writes the rows and the quarantined rows with thousands separators', () => {
    // prepare
    const silver: SilverSummary = { processed: [], failed: [], corrupt: [], skipped: [], dates: ['2026-11-29'], rowsIn: 96204, rowsOut: 95000, quarantined: 1204 };

    // act
    const line = describeSilver(silver, []);

    // assess
    expect(line).toBe('95,000 rows, 1,204 quarantined');
  });
});
