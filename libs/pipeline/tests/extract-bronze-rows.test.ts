import { MALFORMATIONS } from '@twitch-pipeline/helix-simulator';
import { bronzeStreamRowSchema, describeIssues } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { type SourceRecord, toBronzeRows } from '../src/index';

const stamp = { snapshotId: '20261130T120000Z', collectedAt: '2026-11-30T12:00:00.000Z', intervalMinutes: 30 };

function stream(rank: number): Record<string, unknown> {
  return {
    id: String(50_000_000 + rank),
    user_id: String(700 + rank),
    user_login: `canal_${rank}`,
    user_name: `Canal ${rank}`,
    game_id: rank % 3 === 0 ? '' : '509658',
    game_name: rank % 3 === 0 ? '' : 'Just Chatting',
    type: 'live',
    title: rank % 5 === 0 ? 'tab\there \ud800 lone' : `Título ${rank} 🎮`,
    tags: rank % 4 === 0 ? null : ['Português'],
    viewer_count: rank * 7,
    started_at: rank % 2 === 0 ? '2026-11-30T11:00:00Z' : '2026-11-30T11:00:00.5+02:00',
    language: 'pt',
    thumbnail_url: 'https://static-cdn.example/{width}x{height}.jpg',
    ...(rank % 6 === 0 ? {} : { tag_ids: rank % 6 === 1 ? null : [] }),
    ...(rank % 7 === 0 ? { snapshot_id: 'from the record', extra_field: 1 } : {}),
    is_mature: rank % 2 === 1,
  };
}

/** Valid records, and each kind of broken record, a few times over. */
function mixedRecords(): SourceRecord[] {
  const records: SourceRecord[] = [];
  const kinds = Object.values(MALFORMATIONS);
  for (let rank = 0; rank < 300; rank++) {
    const record = stream(rank);
    if (rank % 3 === 1) kinds[rank % kinds.length]!(record);
    records.push({ queryLanguage: rank % 2 === 0 ? 'pt' : 'es', record });
  }
  return records;
}

/** What each record gives when checked whole against the bronze row schema (the reference). */
function wholeRowOutcomes(records: readonly SourceRecord[], stampOf: typeof stamp) {
  return records.map(({ queryLanguage, record }) => {
    const parsed = bronzeStreamRowSchema.safeParse({
      ...JSON.parse(JSON.stringify(record).replaceAll('\\t', ' ').replaceAll('\\ud800', '\ufffd')),
      snapshot_id: stampOf.snapshotId,
      collected_at: stampOf.collectedAt,
      query_language: queryLanguage,
      collection_interval_minutes: stampOf.intervalMinutes,
    });
    return parsed.success ? { row: parsed.data } : { reason: describeIssues(parsed.error).join('; ') };
  });
}

describe('toBronzeRows', () => {
  it('keeps exactly the rows, values and reasons a whole-row check of the bronze schema gives', () => {
    // prepare
    const records = mixedRecords();
    const expected = wholeRowOutcomes(records, stamp);
    // act
    const { rows, quarantined, sanitised } = toBronzeRows(records, stamp);
    // assess
    const expectedRows = expected.flatMap((outcome) => (outcome.row ? [outcome.row] : []));
    expect(rows).toEqual(expectedRows);
    expect(rows.map((row) => Object.keys(row))).toEqual(expectedRows.map((row) => Object.keys(row)));
    expect(quarantined.map((row) => row.reason)).toEqual(expected.flatMap((outcome) => (outcome.reason ? [outcome.reason] : [])));
    expect(quarantined.length).toBeGreaterThan(50);
    expect(sanitised).toBeGreaterThan(0);
    expect(rows.length + quarantined.length).toBe(records.length);
  });

  it('quarantines every record, naming the field, when the stamp itself is invalid', () => {
    // prepare
    const badStamp = { ...stamp, intervalMinutes: 0 };
    const records = mixedRecords();
    const expected = wholeRowOutcomes(records, badStamp);
    // act
    const { rows, quarantined } = toBronzeRows(records, badStamp);
    // assess
    expect(rows).toEqual([]);
    expect(quarantined.map((row) => row.reason)).toEqual(expected.map((outcome) => outcome.reason));
    expect(quarantined.every((row) => row.reason.includes('collection_interval_minutes'))).toBe(true);
  });

  it('replaces the noncharacters U+FFFE and U+FFFF, which SQS refuses in a message, and counts the row as sanitised', () => {
    // Prepare
    const records = [0, 1].map((rank) => ({ queryLanguage: 'pt', record: { ...stream(rank), title: rank === 0 ? 'ao vivo \uffff' : 'Título 🎮 \ufffe!' } }));

    // Act
    const { rows, quarantined, sanitised } = toBronzeRows(records, stamp);

    // Assess
    expect(quarantined).toEqual([]);
    expect(rows.map((row) => row.title)).toEqual(['ao vivo \ufffd', 'Título 🎮 \ufffd!']);
    expect(sanitised).toBe(2);
  });
});
