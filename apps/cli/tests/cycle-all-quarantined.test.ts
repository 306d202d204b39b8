import { describe, expect, it } from 'vitest';
import { newRunRecord, runCycle, scheduledTime } from '../src/runtime/cycle';
import { openStreamsSource } from '../src/runtime/source';
import { useFreshRuntimes } from './support/local-runtime';

const freshRuntime = useFreshRuntimes();

describe('a cycle whose every stream is quarantined at extract', () => {
  it('fails naming the count and the first reason, instead of ending ok with an empty snapshot', async () => {
    // prepare: the simulator's streams with ids of a form Twitch does not use, as if it changed them
    const { config, runtime } = await freshRuntime();
    const at = scheduledTime(new Date(), 30);
    const source = await openStreamsSource(config, { channels: 100, seed: 5, requestsPerMinute: 1_000_000, startTime: at }, {});
    const client = {
      crawlStreams: async (request: Parameters<typeof source.client.crawlStreams>[0]) => {
        const crawl = await source.client.crawlStreams(request);
        return { ...crawl, records: crawl.records.map(({ queryLanguage, record }) => ({ queryLanguage, record: { ...(record as object), id: `pt${(record as { id: string }).id}` } })) };
      },
    };
    const record = newRunRecord('cycle', source.kind, new Date());

    // act
    // The cycle asks its client for nothing but the crawl.
    const failure = await runCycle({ runtime, source: { ...source, client: client as unknown as typeof source.client }, config, collectedAt: at }, record).then(
      () => undefined,
      (error: Error) => error,
    );
    await source.close();

    // assess
    expect(record.rows.bronze).toBe(0);
    expect(record.rows.quarantinedAtExtract).toBeGreaterThan(0);
    expect(failure?.message).toContain(
      `extract: all ${record.rows.quarantinedAtExtract.toLocaleString('en-US')} streams collected were quarantined, none reached bronze (first reason: id: `,
    );
    expect(failure?.message).toContain('FROM quarantine_streams');
  });
});
