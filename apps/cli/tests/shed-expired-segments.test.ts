import { mkdir, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRealtimeTable } from '@twitch-pipeline/storage';
import { realtimeItem } from '@twitch-pipeline/storage/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { shedExpiredSegments } from '../src/runtime/local-runtime';

const folders: string[] = [];

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe('shedExpiredSegments', () => {
  it('names a segment it cannot read, still removes the expired ones after it, and says nothing when there is nothing to do', async () => {
    // prepare: an entry with a segment's name that is not a readable file, then an expired segment, both untouched for two hours
    const folder = await mkdtemp(join(tmpdir(), 'realtime-'));
    folders.push(folder);
    const quiet = await shedExpiredSegments({ table: new LocalRealtimeTable(folder) });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const unreadable = '1764000000000-1-abcd1234.ndjson';
    await mkdir(join(folder, 'segments', unreadable));
    await new LocalRealtimeTable(folder).putItems([realtimeItem('expirado', '2026-11-29T21:30:00.000Z', { expira_em: Math.floor(twoHoursAgo.getTime() / 1000) - 60 })]);
    for (const name of await readdir(join(folder, 'segments'))) await utimes(join(folder, 'segments', name), twoHoursAgo, twoHoursAgo);

    // act
    const note = await shedExpiredSegments({ table: new LocalRealtimeTable(folder) });

    // assess
    expect(quiet).toBeUndefined();
    expect(note).toMatch(new RegExp(`^1 expired segment removed; segment ${unreadable} not checked for expiry \\(.*EISDIR.*\\); the next run tries again$`));
    expect((await readdir(join(folder, 'segments'))).filter((name) => !name.includes('empty'))).toEqual([unreadable]);
  });
});
