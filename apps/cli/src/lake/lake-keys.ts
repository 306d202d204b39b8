import { ANALYTICS_TABLES, GOLD_TABLES, isSnapshotId, LAKE_PREFIXES, parseGoldPendingKey, parseLakeKey } from '@twitch-pipeline/schemas';
import { terminalSafe } from '../cli/table';

/** One object of a lake table, named by its key. */
export interface LakeObjectKey {
  /** The prefix of its table: `raw/streams/`, `silver/streams/`, `quarantine/streams/` or `gold/<table>/`. */
  prefix: string;
  dt: string;
  snapshotId: string;
}

const GOLD_PREFIXES = new Set([...Object.keys(GOLD_TABLES), ...Object.keys(ANALYTICS_TABLES)].map((table) => `${LAKE_PREFIXES.gold}${table}/`));

/** How many stray files or pending snapshots `status` names; `--json` lists them all. */
const NAMED_IN_STATUS = 5;

/**
 * The table, date and snapshot id of a key the pipeline writes, or undefined for any other file:
 * a bronze or silver object is named by its snapshot id, a quarantine object by its snapshot id
 * and the layer that rejected it (with the time of a refused re-crawl between them at extract),
 * a gold partition `part-0`. `parseLakeKey` alone accepts any
 * `dt=…/<name>.parquet`, so a file copied in by hand (`my_export.parquet`, `backup.parquet`)
 * would pass for an object and be read into the views.
 *
 * @example
 * lakeObjectOf('gold/streams_diario/dt=2026-11-29/part-0.parquet');
 * // { prefix: 'gold/streams_diario/', dt: '2026-11-29', snapshotId: 'part-0' }
 * lakeObjectOf('silver/streams/dt=2026-11-29/my_export.parquet'); // undefined
 */
export function lakeObjectOf(key: string): LakeObjectKey | undefined {
  const parsed = parseLakeKey(key);
  if (!parsed) return undefined;
  const name = `dt=${parsed.dt}/${parsed.snapshotId}.parquet`;
  const object = { prefix: key.slice(0, -name.length), ...parsed };
  const { prefix } = object;
  if (prefix === LAKE_PREFIXES.bronze || prefix === LAKE_PREFIXES.silver) return isSnapshotId(parsed.snapshotId) ? object : undefined;
  if (prefix === LAKE_PREFIXES.quarantine) {
    // A refused re-crawl's records (see `refusedCrawlQuarantineKey`) are the extract's too.
    const [, snapshotId, refusedAt] = /^(.+?)(?:-refused-(.+))?-(?:bronze|silver)$/.exec(parsed.snapshotId) ?? [];
    const layerOk = refusedAt === undefined || (isSnapshotId(refusedAt) && parsed.snapshotId.endsWith('-bronze'));
    return snapshotId && isSnapshotId(snapshotId) && layerOk ? object : undefined;
  }
  return GOLD_PREFIXES.has(prefix) && parsed.snapshotId === 'part-0' ? object : undefined;
}

/**
 * The keys no step of the pipeline wrote, in the order given: neither a table's object (see
 * {@link lakeObjectOf}) nor a gold pending marker nor the bytes or reason of an object set aside
 * under `quarantine/corrupt/`. No view reads them and nothing removes them.
 *
 * @example
 * strayLakeKeys(['raw/streams/dt=2026-11-29/20261129T213000Z.parquet', 'raw/streams/dt=2026-11-29/notes.txt']);
 * // ['raw/streams/dt=2026-11-29/notes.txt']
 */
export function strayLakeKeys(keys: readonly string[]): string[] {
  return keys.filter((key) => !lakeObjectOf(key) && !parseGoldPendingKey(key) && !key.startsWith(LAKE_PREFIXES.corrupt));
}

/**
 * The line of `status` that names the first few stray files, or '' when there are none. The names
 * are shown as {@link terminalSafe} makes them: anyone who can write into the lake chooses them.
 *
 * @example
 * describeStrayKeys(['gold/streams_diario/dt=2026-11-29/backup.parquet']);
 * // 'note: 1 other file(s) in the lake, read by no view and left as they are: gold/streams_diario/dt=2026-11-29/backup.parquet'
 */
export function describeStrayKeys(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  return `note: ${keys.length} other file(s) in the lake, read by no view and left as they are: ${firstNamed(keys.map(terminalSafe))}`;
}

/**
 * The first five of `names` and how many more, for a line of `status` (`status --json` lists them all).
 *
 * @example
 * firstNamed(['a', 'b', 'c', 'd', 'e', 'f', 'g']); // 'a, b, c, d, e and 2 more (`status --json` lists them all)'
 */
export function firstNamed(names: readonly string[]): string {
  const more = names.length > NAMED_IN_STATUS ? ` and ${names.length - NAMED_IN_STATUS} more (\`status --json\` lists them all)` : '';
  return `${names.slice(0, NAMED_IN_STATUS).join(', ')}${more}`;
}
