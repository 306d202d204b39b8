import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDbEngine, withEngine } from '@twitch-pipeline/duckdb';
import { intlLocalDate, type LocalTime, localTimesOf } from '@twitch-pipeline/features';
import { LAKE_PREFIXES, silverKey } from '@twitch-pipeline/schemas';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSnapshot, readBronzeEvents, runSilver } from '../src/index';
import { fixedSource, helixStream } from './support/fixed-source';

// Node (Intl) and DuckDB each ship a release of the time-zone database, and releases disagree on
// zones whose rules changed lately. The lake must follow one of them everywhere: DuckDB's, which
// silver's and gold's SQL use. This finds, at run time, a zone and an instant where the two name
// different local dates (there is one whenever their releases differ on a rule of 2025-2028),
// then checks that bronze is partitioned, silver dated, the real-time period set and a slot
// collected again under another date told apart by DuckDB's.
const SUITE = 'local time where Node’s and DuckDB’s time-zone data disagree';

interface Disagreement {
  zone: string;
  instant: Date;
  duckdb: LocalTime;
}

function intlOffsetMinutes(zone: string, epochMs: number): number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const parts = Object.fromEntries(format.formatToParts(new Date(epochMs)).map((part) => [part.type, part.value]));
  return (Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute)) - epochMs) / 60_000;
}

async function findDisagreement(engine: DuckDbEngine): Promise<Disagreement | undefined> {
  const zones = Intl.supportedValuesOf('timeZone');
  const instants = Array.from({ length: 105 }, (_, fortnight) => Date.UTC(2025, 0, 1, 12) + fortnight * 14 * 86_400_000);
  const offsets = await engine.all<{ zone: string; epoch_ms: number; offset_minutes: number }>(
    `SELECT zone, epoch_ms,
            CAST(round((epoch(timezone(zone, to_timestamp(epoch_ms / 1000))) * 1000 - epoch_ms) / 60000) AS INTEGER) AS offset_minutes
       FROM (SELECT unnest(from_json(CAST($zones AS JSON), '["VARCHAR"]')) AS zone),
            (SELECT unnest(from_json(CAST($instants AS JSON), '["BIGINT"]')) AS epoch_ms)
      ORDER BY zone, epoch_ms`,
    { zones: JSON.stringify(zones), instants: JSON.stringify(instants) },
  );
  const differing = offsets.find((row) => intlOffsetMinutes(row.zone, row.epoch_ms) !== row.offset_minutes);
  if (!differing) return undefined;
  // The offsets differ all that day: within it, some half hour lies on different local dates.
  const candidates = Array.from({ length: 48 }, (_, step) => new Date(differing.epoch_ms + step * 30 * 60_000));
  const locals = await localTimesOf(engine, candidates, differing.zone);
  const index = candidates.findIndex((instant, at) => intlLocalDate(instant, differing.zone) !== locals[at]!.date);
  return index < 0 ? undefined : { zone: differing.zone, instant: candidates[index]!, duckdb: locals[index]! };
}

const disagreement = await withEngine({ threads: 1 }, findDisagreement);
if (!disagreement) {
  console.log(`skipped "${SUITE}": Node's time-zone data (tz ${process.versions.tz}) and DuckDB's agree on every zone in 2025-2028, so no instant tells them apart here`);
}

let directory: string;
let store: LocalObjectStore;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'local-time-source-'));
  store = new LocalObjectStore(join(directory, 'lake'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!disagreement)(SUITE, () => {
  it('partitions bronze, dates silver and sets the real-time period by DuckDB’s reading', async () => {
    // prepare
    const { zone, instant, duckdb } = disagreement!;
    const config = { languages: ['pt'], intervalMinutes: 30, timeZone: zone };
    const startedAt = new Date(instant.getTime() - 3_600_000).toISOString();
    const source = fixedSource([helixStream(1, { started_at: startedAt }), helixStream(2, { started_at: startedAt })]);

    // act
    const extract = await extractSnapshot({ source, store, config, collectedAt: instant, now: instant });
    const silver = await runSilver({ store, timeZone: zone, bronzeKeys: [extract.bronzeKey] });
    const silverPath = join(directory, 'silver.parquet');
    await writeFile(silverPath, await store.get(silverKey(extract.dt, extract.snapshotId)));
    const silverDates = await withEngine({}, (engine) =>
      engine.all<{ data: string }>('SELECT DISTINCT CAST(data AS VARCHAR) AS data FROM read_parquet($path)', { path: silverPath }),
    );
    const { events } = await readBronzeEvents(store, extract.bronzeKey, { timeZone: zone });

    // assess
    expect(intlLocalDate(instant, zone)).not.toBe(duckdb.date);
    expect(extract.dt).toBe(duckdb.date);
    expect(silver.rowsOut).toBe(2);
    expect(silverDates).toEqual([{ data: duckdb.date }]);
    expect(new Set(events.map((event) => event.periodo_dia))).toEqual(new Set([duckdb.period]));
  });
  it('keeps the slot collected again in that zone, dated by DuckDB, and sets the earlier collection under another date aside', async () => {
    // prepare: the slot collected in a zone that dates it otherwise, then again a minute later in the disagreeing zone
    const { zone, instant, duckdb } = disagreement!;
    const lake = new LocalObjectStore(join(directory, 'recollected'));
    const elsewhere = await withEngine({}, async (engine) => {
      for (const other of ['UTC', 'Etc/GMT+12', 'Pacific/Kiritimati']) {
        const [local] = await localTimesOf(engine, [instant], other);
        if (local!.date !== duckdb.date) return other;
      }
      throw new Error('no zone dates the instant otherwise');
    });
    const startedAt = new Date(instant.getTime() - 3_600_000).toISOString();
    const source = () => fixedSource([helixStream(1, { started_at: startedAt })]);
    const earlier = await extractSnapshot({ source: source(), store: lake, config: { languages: ['pt'], intervalMinutes: 30, timeZone: elsewhere }, collectedAt: instant, now: instant });
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await utimes(lake.pathOf(earlier.bronzeKey), aMinuteAgo, aMinuteAgo);
    const later = await extractSnapshot({ source: source(), store: lake, config: { languages: ['pt'], intervalMinutes: 30, timeZone: zone }, collectedAt: instant, now: instant });

    // act
    const silver = await runSilver({ store: lake, timeZone: zone, bronzeKeys: [earlier.bronzeKey, later.bronzeKey] });

    // assess
    expect(later.dt).toBe(duckdb.date);
    expect(silver.processed.map((object) => object.bronzeKey)).toEqual([later.bronzeKey]);
    expect(silver.corrupt.map((object) => [object.key, object.reason])).toEqual([
      [earlier.bronzeKey, `superseded by ${later.bronzeKey}, a later collection of the same slot under another date (the time zone changed)`],
    ]);
    expect((await lake.list(LAKE_PREFIXES.bronze)).map((object) => object.key)).toEqual([later.bronzeKey]);
  });
});
