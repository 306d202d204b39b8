import { Logger } from '@twitch-pipeline/observability';
import { S3ObjectStore } from '@twitch-pipeline/storage';
import { type S3Emulator, startS3Emulator } from '@twitch-pipeline/storage/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGoldHandler, createSilverHandler } from '../src/index';
import { uploadBronze } from './support/bronze-upload';

// S3 is a real S3 protocol server (s3rver); DuckDB and Parquet are real.
const BUCKET = 'lake-transform-correlation';
let s3: S3Emulator;
let store: S3ObjectStore;

beforeAll(async () => {
  s3 = await startS3Emulator();
  await s3.createBucket(BUCKET);
  store = new S3ObjectStore(s3.client, BUCKET);
});

afterAll(async () => {
  await s3.stop();
});

/** Runs `act` with the console captured, and returns its JSON log lines. */
async function loggedBy(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (...parts: unknown[]) => lines.push(parts.map(String).join(' '));
  const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((level) => vi.spyOn(console, level).mockImplementation(capture));
  try {
    await act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));
}

describe('silver and gold handlers: the cycle in their logs', () => {
  it('give every line of a state-machine run the snapshot id as the extract and publish lines give it, one text', async () => {
    // prepare: the state machine's inputs for one cycle, the slot of snapshot 20261129T150000Z
    const key = await uploadBronze(store, '2026-11-29T15:00:00Z', [{ id: '1', login: 'ana', viewers: 120 }]);
    const env = { LAKE_BUCKET: BUCKET, PIPELINE_TIMEZONE: 'America/Sao_Paulo' };
    const silver = createSilverHandler({ env, s3: s3.client, logger: new Logger({ serviceName: 'transform-silver', logLevel: 'INFO' }) });
    const gold = createGoldHandler({ env, s3: s3.client, logger: new Logger({ serviceName: 'transform-gold', logLevel: 'INFO' }) });

    // act
    let dates: string[] = [];
    const silverLines = await loggedBy(async () => {
      dates = (await silver({ bronzeKeys: [key], includePending: true })).dates;
    });
    const goldLines = await loggedBy(() => gold({ dates, collectedAt: '2026-11-29T15:00:00.000Z' }));

    // assess: a Logs Insights `filter snapshot_id = "…"` finds each line
    expect(silverLines.length).toBeGreaterThan(0);
    expect(goldLines.length).toBeGreaterThan(0);
    for (const line of [...silverLines, ...goldLines]) expect(line).toMatchObject({ snapshot_id: '20261129T150000Z' });
  });

  it("give every line the state machine's execution name when it is passed, and take an input without one as before", async () => {
    // prepare
    const key = await uploadBronze(store, '2026-11-29T15:30:00Z', [{ id: '2', login: 'bia', viewers: 80 }]);
    const env = { LAKE_BUCKET: BUCKET, PIPELINE_TIMEZONE: 'America/Sao_Paulo' };
    const silver = createSilverHandler({ env, s3: s3.client, logger: new Logger({ serviceName: 'transform-silver', logLevel: 'INFO' }) });
    const gold = createGoldHandler({ env, s3: s3.client, logger: new Logger({ serviceName: 'transform-gold', logLevel: 'INFO' }) });
    const executionName = 'cycle-20261129T153000Z';

    // act
    let dates: string[] = [];
    const silverLines = await loggedBy(async () => {
      dates = (await silver({ bronzeKeys: [key], includePending: true, executionName })).dates;
    });
    const goldLines = await loggedBy(() => gold({ dates, collectedAt: '2026-11-29T15:30:00.000Z', executionName }));
    const byHandLines = await loggedBy(() => gold({ dates }));

    // assess: the keys of one invocation do not stay for the next
    expect(silverLines.length).toBeGreaterThan(0);
    expect(goldLines.length).toBeGreaterThan(0);
    for (const line of [...silverLines, ...goldLines]) expect(line).toMatchObject({ execution_name: executionName });
    expect(byHandLines.length).toBeGreaterThan(0);
    for (const line of byHandLines) expect(line).not.toHaveProperty('execution_name');
  });

  it('refuses an execution name Step Functions would not give, naming the field', async () => {
    // prepare
    const silver = createSilverHandler({ env: { LAKE_BUCKET: BUCKET }, s3: s3.client, logger: new Logger({ serviceName: 'transform-silver', logLevel: 'INFO' }) });

    // act
    const refused = loggedBy(() => silver({ bronzeKeys: [], executionName: 'two words' }));

    // assess
    await expect(refused).rejects.toMatchObject({ name: 'InvalidStepInputError', message: expect.stringContaining('"executionName"?: a Step Functions execution name') });
  });
});
