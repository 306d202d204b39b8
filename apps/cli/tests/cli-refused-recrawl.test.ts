import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, runCli, temporaryDataDir, twitchEnv } from './support/cli-process';

const SLOT_MS = 30 * 60_000;

/** What a run record says of a cycle's outcome and its records set aside at extract. */
type RunCounts = { status: string; rows: { quarantinedAtExtract: number } };

let helix: HelixSimulator;
let dataDir: string;

beforeAll(async () => {
  helix = await startHelixSimulator({ seed: 5, averageLiveChannels: 300 });
  dataDir = await temporaryDataDir();
});

afterAll(async () => {
  await helix.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function bronzeBytes(): Promise<string[]> {
  const root = join(dataDir, 'lake', 'raw', 'streams');
  const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.parquet')).sort();
  return Promise.all(files.map(async (file) => `${file}:${(await readFile(join(root, file))).toString('base64')}`));
}

describe('twitch-pipeline run of a collected slot again, while Twitch answers only records bronze refuses', () => {
  it('fails saying the earlier snapshot was kept, leaves its bronze as it was, and shows the rejected records in quarantine_streams', async () => {
    // prepare
    const env = twitchEnv(dataDir, helix);
    // Against Twitch a run takes the current 30-minute slot: both runs must fall in the same one.
    const untilNextSlot = SLOT_MS - (Date.now() % SLOT_MS);
    if (untilNextSlot < 90_000) await setTimeout(untilNextSlot + 1_000);
    const first = await runCli(['run'], env);
    const before = await bronzeBytes();
    helix.setFaults({ malformedRate: 1 });

    // act
    const rerun = await runCli(['run'], env);

    // assess
    expect(first.code, first.stderr).toBe(0);
    expect(before).toHaveLength(1);
    expect(rerun.code).not.toBe(0);
    expect(rerun.stderr).toMatch(/the earlier snapshot of this slot was kept \(raw\/streams\/dt=[\d-]+\/\d{8}T\d{6}Z\.parquet, [\d,]+ rows\) with its quarantine object/);
    expect(rerun.stderr).toMatch(/this crawl's rejected records are in quarantine\/streams\/dt=[\d-]+\/\d{8}T\d{6}Z-refused-\d{8}T\d{6}Z-bronze\.parquet/);
    expect(await bronzeBytes()).toEqual(before);
    const [rejected] = jsonOf<{ n: number; named: number }[]>(
      await runCli(['query', "SELECT count(*) AS n, count(*) FILTER (WHERE reason <> '') AS named FROM quarantine_streams WHERE layer = 'bronze'", '--json'], env),
    );
    expect(rejected!.n).toBeGreaterThan(0);
    expect(rejected!.named).toBe(rejected!.n);
    const runs = join(dataDir, 'runs');
    const records = await Promise.all((await readdir(runs)).sort().map(async (name) => JSON.parse(await readFile(join(runs, name), 'utf8')) as RunCounts));
    expect(records.map((record) => record.status)).toEqual(['ok', 'failed']);
    expect(records[0]!.rows.quarantinedAtExtract + records[1]!.rows.quarantinedAtExtract).toBe(rejected!.n);
    expect((await runCli(['status'], env)).stdout).not.toContain('other file(s) in the lake');
  }, 180_000);
});
