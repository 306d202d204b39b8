import {
  type BronzeStreamRow,
  bronzeStreamRowSchema,
  describeIssues,
  type QuarantineRow,
} from '@twitch-pipeline/schemas';

/** One crawled record as the Twitch source hands it over: unvalidated, with its query language. */
export interface SourceRecord {
  queryLanguage: string;
  record: unknown;
}

/** Collection metadata stamped on every bronze row of a snapshot. */
export interface SnapshotStamp {
  snapshotId: string;
  collectedAt: string;
  intervalMinutes: number;
}

/** Valid bronze rows and quarantined records of one snapshot. */
export interface BronzeSplit {
  rows: BronzeStreamRow[];
  quarantined: QuarantineRow[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates crawled records into bronze rows; every record that fails goes to quarantine with
 * the reason (each bad field and what is wrong with it) and the record as received. Unknown
 * extra fields are dropped from bronze rows but kept in quarantine.
 *
 * @example
 * const { rows, quarantined } = toBronzeRows(crawl.records, {
 *   snapshotId: '20261129T213000Z', collectedAt: '2026-11-29T21:30:00.000Z', intervalMinutes: 30,
 * });
 */
export function toBronzeRows(records: readonly SourceRecord[], stamp: SnapshotStamp): BronzeSplit {
  const rows: BronzeStreamRow[] = [];
  const quarantined: QuarantineRow[] = [];
  for (const { queryLanguage, record } of records) {
    const quarantine = (reason: string) =>
      quarantined.push({
        snapshot_id: stamp.snapshotId,
        layer: 'bronze',
        reason,
        record: JSON.stringify(record) ?? String(record),
        collected_at: stamp.collectedAt,
      });
    if (!isPlainObject(record)) {
      quarantine(`(record): expected an object, received ${record === null ? 'null' : Array.isArray(record) ? 'array' : typeof record}`);
      continue;
    }
    const parsed = bronzeStreamRowSchema.safeParse({
      ...record,
      snapshot_id: stamp.snapshotId,
      collected_at: stamp.collectedAt,
      query_language: queryLanguage,
      collection_interval_minutes: stamp.intervalMinutes,
    });
    if (parsed.success) rows.push(parsed.data);
    else quarantine(describeIssues(parsed.error).join('; '));
  }
  return { rows, quarantined };
}
