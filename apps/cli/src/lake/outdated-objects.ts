import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { corruptObjectKey } from '@twitch-pipeline/pipeline';
import { bronzeKey, LAKE_PREFIXES, parseLakeKey, parseSnapshotKey } from '@twitch-pipeline/schemas';
import { PROGRAM } from '../cli/command';
import { terminalSafe } from '../cli/table';
import { firstNamed } from './lake-keys';

/** A silver object of another model version whose bronze object is gone, so nothing can rebuild it. */
export interface OutdatedWithoutBronze {
  /** The silver object's key. */
  key: string;
  /** The bronze key it would be rebuilt from. */
  bronzeKey: string;
  /** Where a step set that bronze object aside (`quarantine/corrupt/…`), or null when it is not there either. */
  setAsideAt: string | null;
}

/**
 * The silver objects among `keys` (outdated lake keys) whose bronze object is not in the lake at
 * `lakeDir`: gold leaves their rows out, and no cycle or `rebuild` can rewrite them, since
 * both rebuild silver from bronze. Each says whether its bronze was set aside in quarantine.
 *
 * @example
 * outdatedWithoutBronze(['silver/streams/dt=2026-12-07/20261207T040000Z.parquet'], './data/lake');
 * // [{ key: 'silver/…', bronzeKey: 'raw/streams/dt=2026-12-07/20261207T040000Z.parquet', setAsideAt: null }]
 */
export function outdatedWithoutBronze(keys: readonly string[], lakeDir: string): OutdatedWithoutBronze[] {
  return keys.flatMap((key) => {
    const parsed = key.startsWith(LAKE_PREFIXES.silver) ? parseSnapshotKey(key) : undefined;
    if (!parsed) return [];
    const bronze = bronzeKey(parsed.dt, parsed.snapshotId);
    if (existsSync(join(lakeDir, bronze))) return [];
    const setAside = corruptObjectKey(bronze);
    return [{ key, bronzeKey: bronze, setAsideAt: existsSync(join(lakeDir, setAside)) ? setAside : null }];
  });
}

/** The note on outdated silver without bronze: what gold does with it, and the three things one may do. */
function describeWithoutBronze(objects: readonly OutdatedWithoutBronze[]): string {
  const named = objects.map(({ key, setAsideAt }) => (setAsideAt ? `${key} (its bronze object was set aside to ${setAsideAt})` : `${key} (its bronze object is gone)`));
  const setAside = objects.filter((object) => object.setAsideAt !== null);
  const restore =
    setAside.length > 0
      ? ' To rebuild one whose bronze object was set aside, read why in the .reason.json beside it, and if it reads now move it back to its ' +
        `raw/streams/ key: \`${PROGRAM} rebuild --from <its date> --to <its date>\` then rewrites its silver (one still unreadable is set aside again).`
      : '';
  return (
    `note: ${objects.length} silver object(s) written by another version of the models have no bronze object to rebuild them from, ` +
    `so neither a cycle nor \`${PROGRAM} rebuild\` can rewrite them and their rows are in no gold table (silver_streams still reads them): ` +
    `${terminalSafe(firstNamed(named))}. To keep them as they are, do nothing (this note stays). ` +
    'To remove them, move those files out of the lake folder of the data directory: gold already leaves them out, and every later cycle or rebuild builds it without them.' +
    `${restore}\n`
  );
}

/**
 * The dates whose silver or gold another version of the models wrote (a data directory kept
 * across an upgrade), and what rewrites them; then, apart, the silver objects of another version
 * nothing can rewrite (`withoutBronze`, see {@link outdatedWithoutBronze}). For stderr and `status`.
 *
 * @example
 * process.stderr.write(describeOutdatedObjects(session.outdatedObjects, outdatedWithoutBronze(session.outdatedObjects, './data/lake')));
 * // note: silver of 2 date(s) (2026-11-28 … 2026-11-29) written by another version of the models; …
 */
export function describeOutdatedObjects(keys: readonly string[], withoutBronze: readonly OutdatedWithoutBronze[]): string {
  const stuck = new Set(withoutBronze.map((object) => object.key));
  const rebuildable = keys.filter((key) => !stuck.has(key));
  const datesOf = (layer: string) => [...new Set(rebuildable.filter((key) => key.startsWith(layer)).map((key) => parseLakeKey(key)?.dt ?? key))].sort();
  const parts = (
    [
      ['silver', datesOf(LAKE_PREFIXES.silver)],
      ['gold', datesOf(LAKE_PREFIXES.gold)],
    ] as const
  )
    .filter(([, dates]) => dates.length > 0)
    .map(([layer, dates]) => `${layer} of ${dates.length} date(s) (${dates.length === 1 ? dates[0] : `${dates[0]} … ${dates.at(-1)}`})`);
  const rewritable =
    parts.length === 0
      ? ''
      : `note: ${parts.join(' and ')} written by another version of the models; the views read them by column name (a column they lack is null). ` +
        `\`${PROGRAM} rebuild\` rewrites silver and gold from bronze (each cycle already rebuilds the dates it touches).\n`;
  return `${rewritable}${withoutBronze.length > 0 ? describeWithoutBronze(withoutBronze) : ''}`;
}
