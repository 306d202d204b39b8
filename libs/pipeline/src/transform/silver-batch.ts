import type { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { modelSql } from '@twitch-pipeline/features';
import { bronzeStreamRowSchema, columnNames, duckdbColumns, silverStreamRowSchema } from '@twitch-pipeline/schemas';
import type { LakeWorkspace } from './lake-workspace';
import type { SilverObjectResult } from './transform-types';

/** One bronze object to transform, with where its outputs go. */
export interface BronzeInput {
  bronzeKey: string;
  /** Local file of the bronze object. */
  path: string;
  snapshotId: string;
  silverKey: string;
  quarantineKey: string;
}

/** Bound parameters of the silver model. */
export interface SilverModelParams {
  timeZone: string;
  maxSkewMinutes: number;
  defaultIntervalMinutes: number | null;
}

/** Raised when bronze rows ≠ silver rows + quarantined rows for an object. */
export class ReconciliationError extends Error {
  constructor(bronzeKey: string, rowsIn: number, rowsOut: number, quarantined: number) {
    super(`${bronzeKey}: counts do not reconcile: ${rowsIn} bronze rows ≠ ${rowsOut} silver + ${quarantined} quarantined`);
    this.name = 'ReconciliationError';
  }
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const ident = (name: string) => `"${name}"`;
const fileList = (paths: readonly string[]) => `[${paths.map(quote).join(', ')}]`;

const SILVER_SELECT = duckdbColumns(silverStreamRowSchema)
  .map((column) => `CAST(${ident(column.name)} AS ${column.type}) AS ${ident(column.name)}`)
  .join(', ');
const BRONZE_COLUMNS = columnNames(bronzeStreamRowSchema);
const BRONZE_RECORD = `to_json(struct_pack(${BRONZE_COLUMNS.map((name) => `${ident(name)} := b.${ident(name)}`).join(', ')}))`;

async function rowCounts(engine: DuckDbEngine, paths: readonly string[]): Promise<Map<string, number>> {
  const rows = await engine.all<{ file_name: string; n: number }>(
    `SELECT file_name, CAST(sum(row_group_num_rows) AS BIGINT) AS n
       FROM (SELECT DISTINCT file_name, row_group_id, row_group_num_rows FROM parquet_metadata(${fileList(paths)}))
      GROUP BY file_name`,
  );
  const counts = new Map(rows.map((row) => [row.file_name, row.n]));
  for (const path of paths) if (!counts.has(path)) counts.set(path, 0);
  return counts;
}

/**
 * Transforms a batch of bronze objects in one DuckDB pass: the silver model classifies every
 * row once, then each object gets its own silver file (and quarantine file when rows were
 * rejected), ordered deterministically. Every object's written counts are reconciled with its
 * bronze row count before anything is published; the silver object is published last, so its
 * presence marks a complete snapshot.
 *
 * @example
 * const results = await transformBronzeBatch(engine, workspace, inputs, { timeZone, maxSkewMinutes: 5, defaultIntervalMinutes: null });
 */
export async function transformBronzeBatch(
  engine: DuckDbEngine,
  workspace: LakeWorkspace,
  inputs: readonly BronzeInput[],
  params: SilverModelParams,
): Promise<SilverObjectResult[]> {
  const paths = inputs.map((input) => input.path);
  const bronzeRows = await rowCounts(engine, paths);
  await engine.run(
    `CREATE OR REPLACE TEMP VIEW bronze_source AS
       SELECT ${BRONZE_COLUMNS.map(ident).join(', ')},
              filename AS _file,
              file_row_number AS _row,
              regexp_extract(filename, '([A-Za-z0-9_-]+)\\.parquet$', 1) AS _snapshot
         FROM read_parquet(${fileList(paths)}, filename = true, file_row_number = true)`,
  );
  await engine.run(`CREATE OR REPLACE TEMP TABLE silver_classified AS ${modelSql('silver_streams')}`, {
    time_zone: params.timeZone,
    max_skew_minutes: params.maxSkewMinutes,
    default_interval_minutes: params.defaultIntervalMinutes,
  });
  try {
    const staged: { input: BronzeInput; silverPath: string; quarantinePath?: string; result: SilverObjectResult }[] = [];
    for (const input of inputs) {
      const silverPath = await workspace.outputPath(input.silverKey);
      await engine.copyToParquet(
        `SELECT ${SILVER_SELECT} FROM silver_classified WHERE _file = $file AND reason IS NULL ORDER BY id_stream`,
        { file: input.path },
        silverPath,
      );
      const [rejected] = await engine.all<{ n: number }>(
        'SELECT count(*) AS n FROM silver_classified WHERE _file = $file AND reason IS NOT NULL',
        { file: input.path },
      );
      let quarantinePath: string | undefined;
      if (rejected && rejected.n > 0) {
        quarantinePath = await workspace.outputPath(input.quarantineKey);
        await engine.copyToParquet(
          `SELECT c.id_snapshot AS snapshot_id, 'silver' AS layer, c.reason, ${BRONZE_RECORD} AS record,
                  coalesce(b.collected_at, try_strptime(c.id_snapshot, '%Y%m%dT%H%M%SZ'), TIMESTAMP '1970-01-01') AS collected_at
             FROM silver_classified c
             JOIN read_parquet(${quote(input.path)}, file_row_number = true) b ON b.file_row_number = c._row
            WHERE c._file = $file AND c.reason IS NOT NULL
            ORDER BY c._row`,
          { file: input.path },
          quarantinePath,
        );
      }
      const written = await rowCounts(engine, quarantinePath ? [silverPath, quarantinePath] : [silverPath]);
      const rowsOut = written.get(silverPath) ?? 0;
      const quarantined = quarantinePath ? (written.get(quarantinePath) ?? 0) : 0;
      const rowsIn = bronzeRows.get(input.path) ?? 0;
      if (rowsIn !== rowsOut + quarantined) throw new ReconciliationError(input.bronzeKey, rowsIn, rowsOut, quarantined);
      staged.push({
        input,
        silverPath,
        quarantinePath,
        result: { snapshotId: input.snapshotId, bronzeKey: input.bronzeKey, silverKey: input.silverKey, rowsIn, rowsOut, quarantined },
      });
    }
    for (const { input, silverPath, quarantinePath } of staged) {
      await workspace.publishOrDelete(input.quarantineKey, quarantinePath);
      await workspace.publish(input.silverKey, silverPath);
    }
    return staged.map((entry) => entry.result);
  } finally {
    await engine.run('DROP TABLE IF EXISTS silver_classified');
  }
}
