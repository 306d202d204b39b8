import { sqlString } from '@twitch-pipeline/duckdb';
import type { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { modelSql } from '@twitch-pipeline/features';
import { bronzeStreamRowSchema, columnNames, duckdbColumns, duckdbLiteralPath, quarantineRowSchema, silverStreamRowSchema } from '@twitch-pipeline/schemas';
import { markGoldPending } from './gold-pending';
import type { LakeWorkspace } from './lake-workspace';
import { MODEL_VERSION_KEY, modelVersion, once } from './model-version';
import { castColumns, ident } from './sql-columns';
import type { SilverObjectResult } from './transform-types';

/** One bronze object to transform, with where its outputs go. */
export interface BronzeInput {
  bronzeKey: string;
  /** The object's partition date. */
  dt: string;
  snapshotId: string;
  silverKey: string;
  quarantineKey: string;
}

/** Bound parameters of the silver model. */
export interface SilverModelParams {
  /** The zone the object's `dt` was computed in (see `bronzeTimeZone`). */
  timeZone: string;
  maxSkewMinutes: number;
  defaultIntervalMinutes: number | null;
}

/**
 * Raised when bronze rows ≠ silver rows + quarantined rows for an object.
 *
 * @example
 * await transformBronzeObject(engine, workspace, input, path, params).catch((error) => {
 *   // Thrown before anything is published: the object fails whole, and a retry starts over.
 *   if (error instanceof ReconciliationError) console.error(error.message);
 *   throw error;
 * });
 */
export class ReconciliationError extends Error {
  constructor(bronzeKey: string, rowsIn: number, rowsOut: number, quarantined: number) {
    super(`${bronzeKey}: counts do not reconcile: ${rowsIn} bronze rows ≠ ${rowsOut} silver + ${quarantined} quarantined`);
    this.name = 'ReconciliationError';
  }
}

const SILVER_SELECT = castColumns(duckdbColumns(silverStreamRowSchema));
// Typed like the extract's quarantine rows: `to_json` yields DuckDB's JSON type, which Parquet
// annotates as JSON, and a reader of the one quarantine table then met two types for `record`
// (Polars refused the mix; hyparquet returned objects for some files and text for others).
const QUARANTINE_SELECT = castColumns(duckdbColumns(quarantineRowSchema));

/**
 * The version of the silver model this code writes; each silver object carries it in its footer.
 *
 * @example
 * silverModelVersion(); // 'silver:3f9a…'
 */
export const silverModelVersion = once(() => modelVersion('silver', [SILVER_SELECT, modelSql('silver_streams')]));

const BRONZE_COLUMNS = columnNames(bronzeStreamRowSchema);
const NUMERIC_COLUMNS = new Set(
  duckdbColumns(bronzeStreamRowSchema)
    .filter((column) => column.type === 'BIGINT' || column.type === 'DOUBLE')
    .map((column) => column.name),
);
// DuckDB's JSON writes NaN and ±∞ (a foreign writer's DOUBLE) as bare tokens, which JSON.parse,
// jq and Athena refuse: such a value goes into the record as text, so every record stays JSON.
const recordField = (name: string) =>
  NUMERIC_COLUMNS.has(name)
    ? `CASE WHEN isfinite(try_cast(b.${ident(name)} AS DOUBLE)) IS NOT false THEN to_json(b.${ident(name)}) ELSE to_json(CAST(b.${ident(name)} AS VARCHAR)) END`
    : `b.${ident(name)}`;
const BRONZE_RECORD = `to_json(struct_pack(${BRONZE_COLUMNS.map((name) => `${ident(name)} := ${recordField(name)}`).join(', ')}))`;

async function rowCount(engine: DuckDbEngine, path: string): Promise<number> {
  const [row] = await engine.all<{ n: number }>(
    'SELECT CAST(coalesce(sum(num_rows), 0) AS BIGINT) AS n FROM parquet_file_metadata($path)',
    { path: duckdbLiteralPath(path) },
  );
  return row?.n ?? 0;
}

/**
 * Transforms one bronze object (a local Parquet file) with the silver model: trusted rows go to
 * the silver file in the order the model yields them, rejected rows (only when there are any) to
 * the quarantine file in bronze order with their reason and the record as received. Written counts
 * must reconcile with the bronze row count before anything is published; the silver object is
 * published last, so its presence marks a complete snapshot.
 *
 * @example
 * const result = await transformBronzeObject(engine, workspace, input, path, { timeZone, maxSkewMinutes: 5, defaultIntervalMinutes: null });
 */
export async function transformBronzeObject(
  engine: DuckDbEngine,
  workspace: LakeWorkspace,
  input: BronzeInput,
  path: string,
  params: SilverModelParams,
): Promise<SilverObjectResult> {
  const rowsIn = await rowCount(engine, path);
  await engine.run(
    `CREATE OR REPLACE TEMP VIEW bronze_source AS
       SELECT ${BRONZE_COLUMNS.map(ident).join(', ')},
              file_row_number AS _row,
              ${sqlString(input.snapshotId)} AS _snapshot
         FROM read_parquet(${sqlString(duckdbLiteralPath(path))}, file_row_number = true)`,
  );
  const modelParams = {
    time_zone: params.timeZone,
    max_skew_minutes: params.maxSkewMinutes,
    default_interval_minutes: params.defaultIntervalMinutes,
  };
  const model = modelSql('silver_streams');
  const silverPath = await workspace.outputPath(input.silverKey);
  // No sort: the pool's engines run one thread each, so the model yields the same order on every
  // run (about bronze order), and no reader of silver needs one. Sorting by stream id took
  // 10-16 % of the silver step.
  await engine.copyToParquet(
    `SELECT ${SILVER_SELECT} FROM (${model}) WHERE reason IS NULL`,
    modelParams,
    silverPath,
    { [MODEL_VERSION_KEY]: silverModelVersion() },
  );
  const rowsOut = await rowCount(engine, silverPath);
  let quarantinePath: string | undefined;
  let quarantined = 0;
  if (rowsOut < rowsIn) {
    quarantinePath = await workspace.outputPath(input.quarantineKey);
    await engine.copyToParquet(
      `SELECT ${QUARANTINE_SELECT} FROM (
         SELECT c.id_snapshot AS snapshot_id, 'silver' AS layer, c.reason, ${BRONZE_RECORD} AS record,
                coalesce(b.collected_at, try_strptime(c.id_snapshot, '%Y%m%dT%H%M%SZ'), TIMESTAMP '1970-01-01') AS collected_at,
                c._row
           FROM (${model}) c
           JOIN bronze_source b ON b._row = c._row
          WHERE c.reason IS NOT NULL
       )
       ORDER BY _row`,
      modelParams,
      quarantinePath,
    );
    quarantined = await rowCount(engine, quarantinePath);
  }
  try {
    if (rowsIn !== rowsOut + quarantined) throw new ReconciliationError(input.bronzeKey, rowsIn, rowsOut, quarantined);
    // Before the silver object: once it exists, gold must fold it in even if this run stops here.
    await markGoldPending(workspace.store, input.silverKey);
    await workspace.publishOrDelete(input.quarantineKey, quarantinePath);
    await workspace.publish(input.silverKey, silverPath);
  } finally {
    await workspace.discard(quarantinePath ? [silverPath, quarantinePath] : [silverPath]);
  }
  return { snapshotId: input.snapshotId, bronzeKey: input.bronzeKey, silverKey: input.silverKey, rowsIn, rowsOut, quarantined };
}
