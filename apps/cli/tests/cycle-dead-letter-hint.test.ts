import { describe, expect, it } from 'vitest';
import type { SimulatorSettings } from '../src/runtime/source';
import { cycleOnSimulator, useFreshRuntimes } from './support/local-runtime';

const SETTINGS: SimulatorSettings = { channels: 300, seed: 9, requestsPerMinute: 1_000_000 };
const AT = new Date('2026-11-29T23:00:00Z');
const freshRuntime = useFreshRuntimes();

describe('a cycle whose consumer moves a message to the DLQ', () => {
  it('says on its consume line where the message and its reason are, and still succeeds', async () => {
    // prepare: a message an older publisher left, of an envelope version no consumer reads
    const { config, runtime } = await freshRuntime();
    await runtime.queue.sendBatch([{ id: '0', body: JSON.stringify({ schema_version: 9, events: [] }) }]);

    // act
    const { lines, failure } = await cycleOnSimulator(config, runtime, SETTINGS, AT);
    const peeked = await runtime.queue.deadLetterQueue().peek();

    // assess
    expect(failure).toBeUndefined();
    expect(lines.find((line) => line.startsWith('consume'))).toMatch(/, 1 dead-lettered \(their ids and reasons: `twitch-pipeline dlq peek`\)$/);
    expect(peeked).toHaveLength(1);
    expect(peeked[0]?.reason).toMatch(/schema_version 9/);
  });
});
