import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, } from 'vitest';
import { LocalRealtimeTable } from '../src/index';
import { realtimeItem } from './realtime-items';
import { bytesReadDuring } from './support/bytes-read';

describe('the skipped lines of the local real-time table, remembered per segment', () => {
  let directory: string;
  let segments: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'realtime-verdicts-'));
    segments = join(directory, 'segments');
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  /** Writes 150 items at `timestamp`, in batches as a consumer does. */
  async function put150(table: LocalRealtimeTable, timestamp: string): Promise<void> {
    for (let first = 0; first < 150; first += 25) {
      await table.putItems(Array.from({ length: 25 }, (_, index) => realtimeItem(`canal${first + index}`, timestamp)));
    }
  }

  /** A table of 300 items, a damaged whole line among them, and a torn last line in another segment. */
  async function damagedTable(): Promise<{ segment: string; bytes: number }> {
    const table = new LocalRealtimeTable(directory);
    await put150(table, '2026-11-29T20:00:00.000Z');
    const [segment] = (await readdir(segments)).filter((name) => !name.includes('empty'));
    await appendFile(join(segments, segment!), 'not json\n');
    await put150(table, '2026-11-29T20:30:00.000Z');
    const torn = '0000000000001-other-00000000.ndjson';
    await writeFile(join(segments, torn), `${JSON.stringify({ ...realtimeItem('gaules', '2026-11-29T20:00:00.000Z'), _versao: 1 })}\n{"nome_streamer":"gau`);
    return { segment: segment!, bytes: (await stat(join(segments, segment!))).size };
  }

  it('reports a damaged line and an unterminated tail exactly once they are remembered, without reading the segments again', async () => {
    // prepare: the skipped lines counted once, by another process's table
    const { segment, bytes } = await damagedTable();
    const first = await new LocalRealtimeTable(directory).skippedLines();
    // act: a later process (status run again) counts them
    let again: unknown;
    const read = await bytesReadDuring(async () => {
      again = await new LocalRealtimeTable(directory).skippedLines();
    });
    // assess: the same exact report, and next to none of the segments' bytes read for it
    const expected = { tornLines: 1, unterminatedTails: 1, segments: [{ segment, count: 1, lines: [151] }] };
    expect(first).toEqual(expected);
    expect(again).toEqual(expected);
    expect(read).toBeLessThan(bytes / 10);
  });

  it('reads a segment appended to after its verdict, and only its new bytes', async () => {
    // prepare: the verdicts remembered, then a torn line closed by a later append to the same segment
    const { segment, bytes } = await damagedTable();
    await new LocalRealtimeTable(directory).skippedLines();
    await appendFile(join(segments, segment), '{"nome_streamer":"canal1","timestamp":"2026-11-29T21:');
    // The next append of the segment's writer starts a fresh line, as appendDurably does.
    await appendFile(join(segments, segment), `\n${JSON.stringify({ ...realtimeItem('canal1', '2026-11-29T21:00:00.000Z'), _versao: Date.now() * 1000 })}\n`);
    // act
    let skipped: unknown;
    const read = await bytesReadDuring(async () => {
      skipped = await new LocalRealtimeTable(directory).skippedLines();
    });
    // assess: the new torn line found and numbered after the old ones, the rest not read again
    expect(skipped).toEqual({ tornLines: 2, unterminatedTails: 1, segments: [{ segment, count: 2, lines: [151, 302] }] });
    expect(read).toBeLessThan(bytes / 10);
  });

  it('reads a segment whole again when it changed without growing (a line damaged in place)', async () => {
    // prepare: the verdicts remembered, then one byte of an item's line overwritten, the size kept
    const { segment } = await damagedTable();
    await new LocalRealtimeTable(directory).skippedLines();
    const path = join(segments, segment);
    const text = await readFile(path, 'utf8');
    const damagedAt = text.indexOf('"timestamp"', text.indexOf('\n', text.indexOf('\n') + 1) + 1);
    await writeFile(path, `${text.slice(0, damagedAt)}"timeXtamp"${text.slice(damagedAt + '"timestamp"'.length)}`);
    // act
    const skipped = await new LocalRealtimeTable(directory).skippedLines();
    // assess: the third line counted and named beside the one found before
    expect(skipped).toEqual({ tornLines: 2, unterminatedTails: 1, segments: [{ segment, count: 2, lines: [3, 151] }] });
  });

  it('ignores a damaged verdicts file: the segments are read again and the file is written anew', async () => {
    // prepare: verdicts remembered, then their file torn and one verdict made up
    const { segment } = await damagedTable();
    await new LocalRealtimeTable(directory).skippedLines();
    const file = join(directory, 'segment-verdicts.json');
    const stored = JSON.parse(await readFile(file, 'utf8')) as { segments: Record<string, { skipped: number }> };
    await writeFile(file, JSON.stringify(stored).slice(0, 40));
    // act
    const skipped = await new LocalRealtimeTable(directory).skippedLines();
    const rewritten = JSON.parse(await readFile(file, 'utf8')) as { segments: Record<string, { skipped: number }> };
    // assess
    expect(skipped).toEqual({ tornLines: 1, unterminatedTails: 1, segments: [{ segment, count: 1, lines: [151] }] });
    expect(rewritten.segments[segment]?.skipped).toBe(1);
  });

  it('reads a segment again when its verdict is not one this code writes', async () => {
    // prepare: a remembered verdict claiming no skipped lines in a segment that has one, with an impossible line number
    const { segment } = await damagedTable();
    await new LocalRealtimeTable(directory).skippedLines();
    const file = join(directory, 'segment-verdicts.json');
    const stored = JSON.parse(await readFile(file, 'utf8')) as { segments: Record<string, Record<string, unknown>> };
    stored.segments[segment] = { ...stored.segments[segment], skipped: 0, named: [0] };
    await writeFile(file, JSON.stringify(stored));
    // act
    const skipped = await new LocalRealtimeTable(directory).skippedLines();
    // assess
    expect(skipped).toMatchObject({ tornLines: 1, segments: [{ segment, count: 1, lines: [151] }] });
  });
});
