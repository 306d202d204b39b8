import { S3Client } from '@aws-sdk/client-s3';
import type { GoldSummary, SilverObjectResult, SilverSummary } from '@twitch-pipeline/pipeline';
import { runGold, runSilver } from '@twitch-pipeline/pipeline';
import { createLogger } from '@twitch-pipeline/observability';
import { bronzeKey, silverKey } from '@twitch-pipeline/schemas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGoldHandler, createSilverHandler } from '../src/index';

// The steps are replaced by their summaries of a large backlog: what is under test is what the
// handlers make of a summary, and running DuckDB over 2,000 snapshots would take minutes.
vi.mock('@twitch-pipeline/pipeline', async (original) => ({
  ...(await original<typeof import('@twitch-pipeline/pipeline')>()),
  runSilver: vi.fn(),
  runGold: vi.fn(),
}));

/** What Step Functions lets a task return: a larger result fails with States.DataLimitExceeded, which no Catch takes. */
const STATE_LIMIT_BYTES = 256 * 1024;
const env = { LAKE_BUCKET: 'lake', PIPELINE_TIMEZONE: 'America/Sao_Paulo' };
const s3 = new S3Client({ region: 'sa-east-1' });

/** The snapshot ids of `count` half-hour collections from 2026-10-01 on, with their local dates. */
function snapshots(count: number): { dt: string; snapshotId: string }[] {
  return Array.from({ length: count }, (_, index) => {
    const collectedAt = new Date(Date.UTC(2026, 9, 1, 3) + index * 30 * 60_000).toISOString();
    return { dt: collectedAt.slice(0, 10), snapshotId: `${collectedAt.slice(0, 19).replace(/[-:]/g, '')}Z` };
  });
}

/** A DuckDB error as long as the ones that quote a whole statement. */
const longError = (key: string) => `Binder Error: Referenced column "intervalo_coleta_minutos" not found in ${key}: ${'SELECT … '.repeat(300)}`;

describe('transform handlers: output of a backlog', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('silver returns under 256 KiB for 2,000 snapshots, with every date and the first failures, and logs the whole lists', async () => {
    // prepare
    const backlog = snapshots(2_000);
    const processed: SilverObjectResult[] = backlog.map(({ dt, snapshotId }) => ({
      snapshotId,
      bronzeKey: bronzeKey(dt, snapshotId),
      silverKey: silverKey(dt, snapshotId),
      rowsIn: 95_000,
      rowsOut: 94_990,
      quarantined: 10,
    }));
    const failed = snapshots(2_500).slice(2_000).map(({ dt, snapshotId }) => ({ bronzeKey: bronzeKey(dt, snapshotId), error: longError(snapshotId) }));
    const dates = [...new Set(backlog.map(({ dt }) => dt))];
    const summary: SilverSummary = {
      processed,
      failed,
      corrupt: failed.map(({ bronzeKey: key }) => ({ key, reason: 'truncated', action: 'quarantined', movedTo: `quarantine/corrupt/${key}` })),
      skipped: failed.map(({ bronzeKey: key }) => key),
      dates,
      rowsIn: 190_000_000,
      rowsOut: 189_980_000,
      quarantined: 20_000,
    };
    vi.mocked(runSilver).mockResolvedValue(summary);
    const logger = createLogger('transform-silver');
    const logged = vi.spyOn(logger, 'info');
    const handler = createSilverHandler({ env, s3, logger });

    // act
    const output = await handler({ bronzeKeys: [processed[0]!.bronzeKey], includePending: true });

    // assess
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThan(STATE_LIMIT_BYTES / 2);
    expect(output.dates).toEqual(dates);
    expect(output.failed).toHaveLength(100);
    expect(output.failed[0]).toEqual({ bronzeKey: failed[0]!.bronzeKey, error: failed[0]!.error.slice(0, 500) });
    expect(output.failedLeftOut).toBe(400);
    expect(output.processed).toEqual({ count: 2_000, keys: processed.slice(0, 100).map((result) => result.bronzeKey), leftOut: 1_900 });
    expect(output.corrupt).toMatchObject({ count: 500, leftOut: 400 });
    expect(output.skipped).toMatchObject({ count: 500, leftOut: 400 });
    expect(output).toMatchObject({ rowsIn: 190_000_000, rowsOut: 189_980_000, quarantined: 20_000 });
    const transformed = logged.mock.calls.filter(([message]) => message === 'silver objects transformed');
    expect(transformed.flatMap(([, fields]) => (fields as { entries: SilverObjectResult[] }).entries)).toEqual(processed);
    for (const [, fields] of logged.mock.calls) expect(Buffer.byteLength(JSON.stringify(fields))).toBeLessThan(STATE_LIMIT_BYTES / 4);
  });

  it('gold returns under 256 KiB however many silver objects it met, with every date and the first failures', async () => {
    // prepare
    const backlog = snapshots(2_000);
    const dates = [...new Set(backlog.map(({ dt }) => dt))];
    const outdated = backlog.map(({ dt, snapshotId }) => ({ key: silverKey(dt, snapshotId), found: null, action: 'rebuilt' as const }));
    const summary: GoldSummary = {
      dates,
      pendingDates: dates,
      failed: dates.map((date) => ({ date, error: longError(date) })),
      skipped: [],
      trendsRefreshed: [],
      tables: { streams_diario: 4_000_000 },
      corrupt: outdated.map(({ key }) => ({ key, reason: 'truncated', action: 'quarantined' as const })),
      outdated,
    };
    vi.mocked(runGold).mockResolvedValue(summary);
    const handler = createGoldHandler({ env, s3, logger: createLogger('transform-gold') });

    // act
    const output = await handler({ dates: [dates[0]!] });

    // assess
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThan(STATE_LIMIT_BYTES / 2);
    expect(output).toMatchObject({ dates, pendingDates: dates, tables: { streams_diario: 4_000_000 }, failedLeftOut: 0 });
    expect(output.failed).toEqual(summary.failed.map(({ date, error }) => ({ date, error: error.slice(0, 500) })));
    expect(output.outdated).toEqual({ count: 2_000, keys: outdated.slice(0, 100).map(({ key }) => key), leftOut: 1_900 });
    expect(output.corrupt).toMatchObject({ count: 2_000, leftOut: 1_900 });
  });
});
