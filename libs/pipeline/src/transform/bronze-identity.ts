import type { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { bronzeStreamRowSchema, duckdbColumns, duckdbLiteralPath } from '@twitch-pipeline/schemas';

/** The key's claims about one bronze object: its snapshot and partition. */
export interface BronzeIdentityInput {
  bronzePath: string;
  /** The snapshot id the key names (`<dt folder>/<snapshot id>.parquet`). */
  snapshotId: string;
  /** The key's partition date. */
  dt: string;
  /** The zone the object's `dt` was computed in (see `bronzeTimeZone`). */
  timeZone: string;
}

interface IdentityFacts {
  slot: string | null;
  slot_date: string | null;
  other_ids: number;
  other_id: string | null;
  other_times: number;
  other_time: string | null;
}

/**
 * Why a bronze object is not the snapshot its key names, or undefined when it is: its rows must
 * carry the key's snapshot id and the time that id names, and that time's local date must be
 * the key's partition. A copy of a snapshot under another name, or a file moved to another
 * date's folder, would otherwise be read as one more snapshot: its streams would count twice
 * in gold, or on the wrong day. Rows without a snapshot id or a collection time are left to
 * silver's record checks.
 *
 * @example
 * const problem = await bronzeIdentityProblem(engine, { bronzePath, snapshotId: '20261129T213000Z', dt: '2026-11-29', timeZone });
 */
export async function bronzeIdentityProblem(engine: DuckDbEngine, input: BronzeIdentityInput): Promise<string | undefined> {
  const [facts] = await engine.all<IdentityFacts & Record<string, unknown>>(
    `WITH slot AS (SELECT try_strptime($id, '%Y%m%dT%H%M%SZ') AS slot)
     SELECT
       CAST(any_value(slot.slot) AS VARCHAR) AS slot,
       CAST(data_local(any_value(slot.slot), $zone) AS VARCHAR) AS slot_date,
       count(*) FILTER (WHERE rows.snapshot_id <> $id) AS other_ids,
       any_value(rows.snapshot_id) FILTER (WHERE rows.snapshot_id <> $id) AS other_id,
       count(*) FILTER (WHERE rows.collected_at IS DISTINCT FROM slot.slot AND rows.collected_at IS NOT NULL) AS other_times,
       CAST(any_value(rows.collected_at) FILTER (WHERE rows.collected_at IS DISTINCT FROM slot.slot) AS VARCHAR) AS other_time
     FROM slot LEFT JOIN read_parquet($path) AS rows ON true`,
    { path: duckdbLiteralPath(input.bronzePath), id: input.snapshotId, zone: input.timeZone },
  );
  const named = `its key names snapshot ${input.snapshotId}`;
  if (!facts?.slot) return `${named}, which is not a snapshot id (YYYYMMDDTHHMMSSZ)`;
  if (Number(facts.other_ids) > 0) return `${named}, but ${facts.other_ids} of its rows belong to snapshot ${facts.other_id} (a copy or a renamed file?)`;
  if (Number(facts.other_times) > 0) return `${named}, collected at ${facts.slot} UTC, but ${facts.other_times} of its rows were collected at ${facts.other_time} UTC`;
  if (facts.slot_date !== input.dt) return `${named}, of ${facts.slot_date} in ${input.timeZone}, but it lies in the partition dt=${input.dt} (a file moved to another date's folder?)`;
  return undefined;
}

/**
 * How a bronze file's columns differ from those the extract writes (a column missing, or of
 * another DuckDB type), one phrase each; empty when they match. For the message of an object the
 * silver model failed on: DuckDB's own error lists every function signature it tried instead.
 *
 * @example
 * await bronzeColumnDifferences(engine, '/tmp/bronze.parquet'); // ['collected_at is VARCHAR, not TIMESTAMP']
 */
export async function bronzeColumnDifferences(engine: DuckDbEngine, bronzePath: string): Promise<string[]> {
  const found = new Map(
    (await engine.all<{ column_name: string; column_type: string }>('DESCRIBE SELECT * FROM read_parquet($path)', { path: duckdbLiteralPath(bronzePath) })).map(
      (column) => [column.column_name, column.column_type],
    ),
  );
  return duckdbColumns(bronzeStreamRowSchema).flatMap(({ name, type }) => {
    const actual = found.get(name);
    if (actual === undefined) return [`${name} is missing`];
    return actual === type ? [] : [`${name} is ${actual}, not ${type}`];
  });
}
