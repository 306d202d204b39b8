import { type DuckDbEngine, parquetKeyValues } from '@twitch-pipeline/duckdb';
import { BRONZE_TIME_ZONE_KEY, duckdbLiteralPath } from '@twitch-pipeline/schemas';

/** Where silver found the zone of one bronze object's `dt`. */
export interface BronzeTimeZoneSources {
  /** The local bronze file. */
  bronzePath: string;
  /** The object's partition date. */
  dt: string;
  /** `PIPELINE_TIMEZONE` now. */
  configured: string;
  /** The zone the object's current silver object was dated in, when there is one; read only when the footer names none. */
  silverZone: () => Promise<string | undefined>;
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
 * const zone = await bronzeTimeZone(engine, { bronzePath, dt: '2026-11-29', configured: 'UTC', silverZone: async () => undefined });
 */
export async function bronzeTimeZone(engine: DuckDbEngine, sources: BronzeTimeZoneSources): Promise<string> {
  const [recorded] = await parquetKeyValues(engine, [sources.bronzePath], BRONZE_TIME_ZONE_KEY);
  if (recorded !== undefined) return recorded;
  const datedOn = async (zone: string) => {
    const date = await localDateIn(engine, sources.bronzePath, zone);
    return date === undefined || date === sources.dt;
  };
  const silverZone = await sources.silverZone();
  if (silverZone !== undefined && (await datedOn(silverZone))) return silverZone;
  if (await datedOn(sources.configured)) return sources.configured;
  const other = await localDateIn(engine, sources.bronzePath, sources.configured);
  throw new Error(
    `collected before snapshots recorded their time zone, and dated ${sources.dt} in another zone than PIPELINE_TIMEZONE (${sources.configured} dates it ${other}): ` +
      'set PIPELINE_TIMEZONE to the zone it was collected in to rebuild it; its silver object is kept as it was',
  );
}

/**
 * The zone a silver object's rows were dated in (`fuso_horario`), or undefined when it cannot be
 * read (an unreadable object is no evidence of anything).
 *
 * @example
 * await silverObjectZone(engine, '/lake/silver/streams/dt=2026-11-29/20261129T213000Z.parquet'); // 'America/Sao_Paulo'
 */
export async function silverObjectZone(engine: DuckDbEngine, path: string): Promise<string | undefined> {
  try {
    const [row] = await engine.all<{ zone: string | null }>('SELECT any_value(fuso_horario) AS zone FROM read_parquet($path)', { path: duckdbLiteralPath(path) });
    return row?.zone ?? undefined;
  } catch {
    return undefined;
  }
}
