import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '@twitch-pipeline/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { runBackfill } from '../src/runtime/backfill';
import { openLocalRuntime } from '../src/runtime/local-runtime';
import { type SimulatorSettings, startSimulator } from '../src/runtime/source';

const SETTINGS: SimulatorSettings = { channels: 300, seed: 9, requestsPerMinute: 1_000_000 };
const END = new Date('2026-11-29T23:00:00Z');
/** A bronze snapshot with no silver yet (pending), of a day before the backfill's. */
const TORN_BRONZE = 'raw/streams/dt=2026-11-28/20261128T120000Z.parquet';
/** A silver object of the date the backfill rebuilds, which its gold step reads. */
const TORN_SILVER = 'silver/streams/dt=2026-11-29/20261129T120000Z.parquet';
const directories: string[] = [];

afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

/** Writes `bytes` under `key` in the lake of `dataDir`, as a torn write would leave them. */
async function plant(dataDir: string, key: string, bytes: Buffer): Promise<void> {
  const path = join(dataDir, 'lake', key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a backfill over a lake holding unreadable objects', () => {
  it('names each object it set aside, with the reason and where its bytes went, as a cycle does', async () => {
    // prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'backfill-unreadable-'));
    directories.push(dataDir);
    await plant(dataDir, TORN_BRONZE, Buffer.from('PAR1 torn'));
    await plant(dataDir, TORN_SILVER, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(40, 7)]));
    const config = loadConfig({ PIPELINE_DATA_DIR: dataDir, PIPELINE_TIMEZONE: 'UTC' });
    const { runtime } = await openLocalRuntime(config);
    const simulator = await startSimulator({ ...SETTINGS, startTime: END });
    const printed: string[] = [];
    const io = { out: () => {}, drained: async () => {}, err: (text: string) => printed.push(text), interactive: false };

    // act
    const record = await runBackfill({ runtime, simulator, config, end: END, hours: 1, realtime: 'none', io }).finally(() => simulator.close());

    const stderr = printed.join('');

    // assess
    expect(record.status).toBe('ok');
    expect(stderr).toMatch(new RegExp(`^silver: .*; unreadable ${escaped(TORN_BRONZE)} \\(.+\\) moved to quarantine/corrupt/${escaped(TORN_BRONZE)}`, 'm'));
    expect(stderr).toMatch(new RegExp(`^gold: .*; unreadable ${escaped(TORN_SILVER)} \\(.+\\) moved to quarantine/corrupt/${escaped(TORN_SILVER)}`, 'm'));
    expect(await runtime.store.exists(TORN_BRONZE)).toBe(false);
  });
});
