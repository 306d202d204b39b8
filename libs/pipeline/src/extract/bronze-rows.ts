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

/** The collection metadata a bronze row adds to the Helix fields. */
type StampFields = Pick<BronzeStreamRow, 'snapshot_id' | 'collected_at' | 'query_language' | 'collection_interval_minutes'>;

const STAMP_KEYS = { snapshot_id: true, collected_at: true, query_language: true, collection_interval_minutes: true } as const;

// The bronze row schema split in two, so that the stamp, the same for every row of a snapshot
// and language, is checked once rather than per row; a row valid in both parts is valid whole
// (the schema has no check across fields). Rejected records are checked whole again, so their
// reasons read as before.
const streamFieldsSchema = bronzeStreamRowSchema.omit(STAMP_KEYS);
const stampSchema = bronzeStreamRowSchema.pick(STAMP_KEYS);

function stampFieldsOf(stamp: SnapshotStamp, queryLanguage: string): StampFields {
  return {
    snapshot_id: stamp.snapshotId,
    collected_at: stamp.collectedAt,
    query_language: queryLanguage,
    collection_interval_minutes: stamp.intervalMinutes,
  };
}

/** The stamp fields of `queryLanguage`'s rows when they are valid; undefined sends every record through the whole-row check. */
function validStamp(stamp: SnapshotStamp, queryLanguage: string): StampFields | undefined {
  const parsed = stampSchema.safeParse(stampFieldsOf(stamp, queryLanguage));
  return parsed.success ? parsed.data : undefined;
}

/** Valid bronze rows and quarantined records of one snapshot. */
export interface BronzeSplit {
  rows: BronzeStreamRow[];
  quarantined: QuarantineRow[];
  /** Kept rows whose text had to be cleaned (lone surrogates, noncharacters U+FFFE and U+FFFF, control characters). */
  sanitised: number;
}

// Tabs and line breaks become spaces; other C0/C1 control characters are dropped.
const LINE_CONTROLS = /[\t\n\r]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const OTHER_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// The two noncharacters outside the set of characters SQS accepts in a message (XML 1.0's):
// one of them in a title made SQS refuse the message that carried it.
const NONCHARACTERS = /[\ufffe\uffff]/g;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NEEDS_CLEANING = /[\u0000-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Any control character, surrogate or noncharacter: one character class, scanned far faster than
// the lookarounds above, so only text with such a character (emoji included) gets the exact test.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const MAY_NEED_CLEANING = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff\ufffe\uffff]/;

function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd').replace(NONCHARACTERS, '\ufffd').replace(LINE_CONTROLS, ' ').replace(OTHER_CONTROLS, '');
}

/** Whether any string in the value (at any depth) needs cleaning: one scan, so clean records are not copied. */
function needsCleaning(value: unknown): boolean {
  if (typeof value === 'string') return MAY_NEED_CLEANING.test(value) && NEEDS_CLEANING.test(value);
  if (Array.isArray(value)) return value.some(needsCleaning);
  if (isPlainObject(value)) return Object.values(value).some(needsCleaning);
  return false;
}

function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanValue);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, cleanValue(inner)]));
  return value;
}

/**
 * The record with every string (at any depth) made well-formed Unicode (a lone surrogate becomes
 * U+FFFD) and free of control characters, and whether anything changed. Twitch titles are
 * free text: such characters come from broken clients and carry no meaning, while they break
 * JSON and CSV readers downstream. Valid surrogate pairs (emoji) are left as they are.
 */
function sanitise(value: unknown): { value: unknown; changed: boolean } {
  return needsCleaning(value) ? { value: cleanValue(value), changed: true } : { value, changed: false };
}

// A plain function rather than a closure per record: the CLI's loader names every closure it creates.
function quarantineRowOf(record: unknown, reason: string, stamp: SnapshotStamp): QuarantineRow {
  return { snapshot_id: stamp.snapshotId, layer: 'bronze', reason, record: JSON.stringify(record) ?? String(record), collected_at: stamp.collectedAt };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates crawled records into bronze rows; every record that fails goes to quarantine with
 * the reason (each bad field and what is wrong with it) and the record as received, so one bad
 * record never fails its snapshot. Text is cleaned first (lone surrogates, control characters;
 * counted in `sanitised`); long strings are kept whole. Unknown extra fields are dropped from
 * bronze rows but kept in quarantine.
 *
 * @example
 * const { rows, quarantined } = toBronzeRows(crawl.records, {
 *   snapshotId: '20261129T213000Z', collectedAt: '2026-11-29T21:30:00.000Z', intervalMinutes: 30,
 * });
 */
export function toBronzeRows(records: readonly SourceRecord[], stamp: SnapshotStamp): BronzeSplit {
  const rows: BronzeStreamRow[] = [];
  const quarantined: QuarantineRow[] = [];
  const stamps = new Map<string, StampFields | undefined>();
  let sanitised = 0;
  for (const { queryLanguage, record } of records) {
    if (!isPlainObject(record)) {
      quarantined.push(quarantineRowOf(record, `(record): expected an object, received ${record === null ? 'null' : Array.isArray(record) ? 'array' : typeof record}`, stamp));
      continue;
    }
    const clean = sanitise(record);
    if (!stamps.has(queryLanguage)) stamps.set(queryLanguage, validStamp(stamp, queryLanguage));
    const fields = stamps.get(queryLanguage);
    const fast = fields && streamFieldsSchema.safeParse(clean.value);
    if (fast?.success) {
      rows.push(Object.assign(fast.data, fields) as BronzeStreamRow);
      if (clean.changed) sanitised += 1;
      continue;
    }
    const parsed = bronzeStreamRowSchema.safeParse({ ...(clean.value as Record<string, unknown>), ...stampFieldsOf(stamp, queryLanguage) });
    if (!parsed.success) {
      quarantined.push(quarantineRowOf(record, describeIssues(parsed.error).join('; '), stamp));
      continue;
    }
    rows.push(parsed.data);
    if (clean.changed) sanitised += 1;
  }
  return { rows, quarantined, sanitised };
}
