import { type DuckDbEngine, parquetKeyValues } from '@twitch-pipeline/duckdb';
import { BRONZE_TIME_ZONE_KEY, duckdbLiteralPath } from '@twitch-pipeline/schemas';
import type { LakeWorkspace } from './lake-workspace';

/** One bronze object whose zone silver looks for. */
export interface BronzeTimeZoneInput {
  /** The local bronze file. */
  bronzePath: string;
  /** The object's partition date. */
  dt: string;
  /** Its silver object's key, read only when the bronze object's footer names no zone. */
  silverKey: string;
  /** `PIPELINE_TIMEZONE` now. */
  configured: string;
}

/** The local date of the object's first collection time in `zone` (undefined for an object without rows). */
async function localDateIn(engine: DuckDbEngine, path: string, zone: string): Promise<string | undefined> {
  const [row] = await engine.all<{ data: string | null }>('SELECT CAST(data_local(min(collected_at), $zone) AS VARCHAR) AS data FROM read_parquet($path)', {
    path: duckdbLiteralPath(path),
    zone,
  });
  return row?.data ?? undefined;
}

/**
 * The time zone silver dates a bronze object's rows in: the one its `dt` was computed in, so
 * that its rows' local dates are their partition's whatever `PIPELINE_TIMEZONE` says now. The
 * extract names it in the object's footer. An object collected before it did is dated in the
 * zone of its silver object, or in `PIPELINE_TIMEZONE`, whichever gives its `dt`; when neither
 * does, the setting changed since it was collected and its zone is unknown: silver refuses it
 * (its bronze and silver objects stay as they are) rather than spread its hours over dates
 * whose partitions do not hold it.
 *
 * @example
 * const zone = await bronzeTimeZone(engine, workspace, { bronzePath, dt: '2026-11-29', silverKey, configured: 'UTC' });
 */
export async function bronzeTimeZone(engine: DuckDbEngine, workspace: LakeWorkspace, input: BronzeTimeZoneInput): Promise<string> {
  const [recorded] = await parquetKeyValues(engine, [input.bronzePath], BRONZE_TIME_ZONE_KEY);
  if (recorded !== undefined) return recorded;
  const datedOn = async (zone: string) => {
    const date = await localDateIn(engine, input.bronzePath, zone);
    return date === undefined || date === input.dt;
  };
  const silverZone = await silverObjectZone(engine, workspace, input.silverKey);
  if (silverZone !== undefined && (await datedOn(silverZone))) return silverZone;
  if (await datedOn(input.configured)) return input.configured;
  const other = await localDateIn(engine, input.bronzePath, input.configured);
  throw new Error(
    `collected before snapshots recorded their time zone, and dated ${input.dt} in another zone than PIPELINE_TIMEZONE (${input.configured} dates it ${other}): ` +
      'set PIPELINE_TIMEZONE to the zone it was collected in to rebuild it; its silver object is kept as it was',
  );
}

/** The zone the silver object `key` was dated in (`fuso_horario`); undefined when there is none, or it cannot be read (no evidence of anything). */
async function silverObjectZone(engine: DuckDbEngine, workspace: LakeWorkspace, key: string): Promise<string | undefined> {
  if (!(await workspace.store.exists(key))) return undefined;
  const paths = await workspace.localPaths([key]);
  try {
    const [row] = await engine.all<{ zone: string | null }>('SELECT any_value(fuso_horario) AS zone FROM read_parquet($path)', { path: duckdbLiteralPath(paths[0]!) });
    return row?.zone ?? undefined;
  } catch {
    return undefined;
  } finally {
    await workspace.discard(paths);
  }
}
