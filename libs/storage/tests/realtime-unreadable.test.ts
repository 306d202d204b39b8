import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalRealtimeTable } from '../src/index';

describe('a local real-time table whose segments cannot be listed', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'realtime-unreadable-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('names why, where an empty answer would pass for a table with no events', async () => {
    // prepare: a file where the segments folder goes fails for root too, as another user's folder fails for anyone else
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, 'segments'), 'not a folder');
    // act
    const reason = new LocalRealtimeTable(directory).unreadableReason();
    // assess
    expect(reason).toMatch(/^ENOTDIR: not a directory, scandir '.*segments'$/);
  });

  it('has no reason to give when its segments can be listed', async () => {
    // prepare
    const table = new LocalRealtimeTable(directory);
    // act
    const reason = table.unreadableReason();
    // assess
    expect(reason).toBeUndefined();
  });
});
