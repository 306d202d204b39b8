import type { ExtractSummary } from '@twitch-pipeline/pipeline';
import { describe, expect, it } from 'vitest';
import { CycleInterrupted } from '../src/runtime/cycle';
import { type Extractor, extractInOrder } from '../src/runtime/extract-pool';

const SLOTS = Array.from({ length: 6 }, (_, index) => new Date(Date.UTC(2026, 10, 29, index)));

function summaryOf(collectedAt: Date): ExtractSummary {
  const snapshotId = collectedAt.toISOString();
  return { snapshotId, bronzeKey: `raw/${snapshotId}`, written: 1 } as ExtractSummary;
}

/**
 * Resolves once every promise callback queued so far has run: the lanes and the loop react to
 * a settled extract in callbacks alone, so they are done reacting by then. Timers would order
 * the lanes only as long as the machine kept up with them.
 */
function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A lane that ends each slot once the lanes and the loop have reacted to the last, and remembers which slots it ran. */
function lane(ran: string[]): Extractor {
  return async (collectedAt) => {
    ran.push(collectedAt.toISOString());
    await settled();
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
    // prepare: the slow lane's extract ends only once the fast lane has extracted every other
    // slot, so the slots end out of order whatever the machine's timing
    const slow: string[] = [];
    const fast: string[] = [];
    let fastDone!: () => void;
    const allTaken = new Promise<void>((resolve) => (fastDone = resolve));
    const slowLane: Extractor = async (collectedAt) => {
      slow.push(collectedAt.toISOString());
      await allTaken;
      return summaryOf(collectedAt);
    };
    const fastLane: Extractor = async (collectedAt) => {
      fast.push(collectedAt.toISOString());
      await settled();
      if (slow.length + fast.length === SLOTS.length) fastDone();
      return summaryOf(collectedAt);
    };
    // act
    const { seen, error } = await collect(SLOTS, [slowLane, fastLane]);
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
    const { seen, error } = await collect(SLOTS, [lane(ran), lane(ran)], () => (stop.stopping = true), stop);
    // assess
    expect(error).toBeInstanceOf(CycleInterrupted);
    expect(seen).toEqual(ran);
    expect(seen.length).toBeLessThan(SLOTS.length);
    expect(seen).toEqual(SLOTS.slice(0, seen.length).map((slot) => slot.toISOString()));
  });

  it('fails at the failed slot after the slots before it, and starts nothing after the failure', async () => {
    // prepare: the first slot ends only after the third has failed and the lanes have reacted,
    // so the failure comes while the loop still waits
    const ran: string[] = [];
    let thirdFailed!: () => void;
    const failed = new Promise<void>((resolve) => (thirdFailed = resolve));
    const extract: Extractor = async (collectedAt) => {
      ran.push(collectedAt.toISOString());
      if (collectedAt === SLOTS[0]) await failed.then(settled);
      else await settled();
      if (collectedAt === SLOTS[2]) {
        thirdFailed();
        throw new Error('extract of the third slot failed');
      }
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
    // prepare: the slow lane's extract ends only after the loop, which leaves at the fast
    // lane's first summary, has had every callback it could run
    const finished: string[] = [];
    const slowLane: Extractor = async (collectedAt) => {
      await settled();
      finished.push(collectedAt.toISOString());
      return summaryOf(collectedAt);
    };
    const fastLane: Extractor = async (collectedAt) => summaryOf(collectedAt);
    // act
    for await (const summary of extractInOrder(SLOTS, [fastLane, slowLane])) {
      if (summary) break;
    }
    // assess
    expect(finished).toHaveLength(1);
  });
});
