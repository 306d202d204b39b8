import type { ExtractSummary } from '@twitch-pipeline/pipeline';
import { describe, expect, it } from 'vitest';
import { CycleInterrupted } from '../src/runtime/cycle';
import { type Extractor, extractInOrder } from '../src/runtime/extract-pool';

const SLOTS = Array.from({ length: 6 }, (_, index) => new Date(Date.UTC(2026, 10, 29, index)));

function summaryOf(collectedAt: Date): ExtractSummary {
  const snapshotId = collectedAt.toISOString();
  return { snapshotId, bronzeKey: `raw/${snapshotId}`, written: 1 } as ExtractSummary;
}

/** A lane that takes `delayMs` per slot and remembers which slots it ran. */
function lane(delayMs: number, ran: string[]): Extractor {
  return async (collectedAt) => {
    ran.push(collectedAt.toISOString());
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return summaryOf(collectedAt);
  };
}

async function collect(slots: readonly Date[], lanes: Extractor[], onEach?: (summary: ExtractSummary) => void, stop?: { stopping: boolean }) {
  const seen: string[] = [];
  try {
    for await (const summary of extractInOrder(slots, lanes, stop)) {
      seen.push(summary.snapshotId);
      onEach?.(summary);
    }
    return { seen };
  } catch (error) {
    return { seen, error: error as Error };
  }
}

describe('extractInOrder', () => {
  it('yields every slot once, in slot order, while a slow and a fast lane share the work', async () => {
    // prepare
    const slow: string[] = [];
    const fast: string[] = [];
    // act
    const { seen, error } = await collect(SLOTS, [lane(25, slow), lane(1, fast)]);
    // assess
    expect(error).toBeUndefined();
    expect(seen).toEqual(SLOTS.map((slot) => slot.toISOString()));
    expect(slow.length).toBeGreaterThan(0);
    expect(fast.length).toBeGreaterThan(slow.length);
    expect([...slow, ...fast].sort()).toEqual(seen);
  });

  it('stops taking slots once asked, lets the running ones finish and then reports the interruption', async () => {
    // prepare
    const stop = { stopping: false };
    const ran: string[] = [];
    // act
    const { seen, error } = await collect(SLOTS, [lane(5, ran), lane(5, ran)], () => (stop.stopping = true), stop);
    // assess
    expect(error).toBeInstanceOf(CycleInterrupted);
    expect(seen).toEqual(ran);
    expect(seen.length).toBeLessThan(SLOTS.length);
    expect(seen).toEqual(SLOTS.slice(0, seen.length).map((slot) => slot.toISOString()));
  });

  it('fails at the failed slot after the slots before it, and starts nothing after the failure', async () => {
    // prepare: the first slot is slow, so the failure of the third comes while the loop still waits
    const ran: string[] = [];
    const extract: Extractor = async (collectedAt) => {
      ran.push(collectedAt.toISOString());
      await new Promise((resolve) => setTimeout(resolve, collectedAt === SLOTS[0] ? 60 : 2));
      if (collectedAt === SLOTS[2]) throw new Error('extract of the third slot failed');
      return summaryOf(collectedAt);
    };
    // act
    const { seen, error } = await collect(SLOTS, [extract, extract]);
    // assess
    expect(error?.message).toBe('extract of the third slot failed');
    expect(seen).toEqual(SLOTS.slice(0, 2).map((slot) => slot.toISOString()));
    expect(ran).toEqual(SLOTS.slice(0, 3).map((slot) => slot.toISOString()));
  });

  it('waits for the running extracts when the loop is left early', async () => {
    // prepare
    const finished: string[] = [];
    const slowLane: Extractor = async (collectedAt) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      finished.push(collectedAt.toISOString());
      return summaryOf(collectedAt);
    };
    const fastLane = lane(1, []);
    // act
    for await (const summary of extractInOrder(SLOTS, [fastLane, slowLane])) {
      if (summary) break;
    }
    // assess
    expect(finished).toHaveLength(1);
  });
});
