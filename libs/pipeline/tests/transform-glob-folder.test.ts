import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { bronzeRow, readRows, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const AT = '2026-11-29T21:00:00Z';

// DuckDB reads every path as a file pattern: a lake in a folder named `lake [1]*?` would, read
// as written, take its objects from the sibling `lake 1 xy` instead (see duckdbLiteralPath).
// The lakes are made in the nearest temporary folder whose own path holds no glob character:
// the tests' temporary folder does, and a pattern that cannot match it would hide the sibling.
function globFreeAncestor(path: string): string {
  return /[[*?]/.test(path) ? globFreeAncestor(dirname(path)) : path;
}
describe('silver and gold in a lake whose folder name holds glob characters', () => {
  let parent: string;

  beforeEach(async () => {
    parent = await mkdtemp(join(globFreeAncestor(tmpdir()), 'glob-folder-'));
  });
  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('read that lake only, never the sibling folder the pattern would match', async () => {
    // prepare: the same snapshot key in both lakes, other channels in each
    const lake = new LocalObjectStore(join(parent, 'lake [1]*?'));
    const sibling = new LocalObjectStore(join(parent, 'lake 1 xy'));
    await writeBronzeSnapshot(lake, AT, [bronzeRow({ collected_at: AT, id: '1', user_login: 'alvo' })], TZ);
    await writeBronzeSnapshot(sibling, AT, [bronzeRow({ collected_at: AT, id: '2', user_login: 'vizinho' })], TZ);
    // act
    const silver = await runSilver({ store: lake, timeZone: TZ });
    const gold = await runGold({ store: lake, dates: silver.dates });
    // assess
    expect(silver.processed.map((snapshot) => [snapshot.rowsIn, snapshot.rowsOut])).toEqual([[1, 1]]);
    expect(gold.corrupt).toEqual([]);
    expect((await readRows(lake, 'silver/', 'id_stream')).map((row) => row.nome_streamer)).toEqual(['alvo']);
    expect((await readRows(lake, 'gold/streamers_diario/', 'nome_streamer')).map((row) => row.nome_streamer)).toEqual(['alvo']);
  });
});
