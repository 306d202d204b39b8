import { rm } from 'node:fs/promises';
import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, stderrMatching, temporaryDataDir, twitchEnv } from './support/cli-process';

// Every answer of this Twitch stand-in takes 9 s (under the client's 10 s timeout), so a crawl of
// its dozen pages takes far longer than the one-minute period below, as the whole platform's
// crawl (about 65 s) does for `run --every 1m` against Twitch.
let helix: HelixSimulator;
let dataDir: string;

beforeAll(async () => {
  helix = await startHelixSimulator({ seed: 3, averageLiveChannels: 2_000, faults: { latencyMs: 9_000 } });
  dataDir = await temporaryDataDir();
});

afterAll(async () => {
  await helix.close();
  await rm(dataDir, { recursive: true, force: true });
});


describe('run --every with a period shorter than a crawl', () => {
  it('names why nothing was collected, and starts no crawl in a slot with less left than the cut one had', async () => {
    // prepare
    const collector = spawnCli(['run', '--every', '1m'], twitchEnv(dataDir, helix));

    // act
    const told = await stderrMatching(collector.child, /next cycle at (\S+)/);
    const toldAt = Date.now();
    collector.child.kill('SIGINT');
    const stopped = await collector.finished;

    // assess: the slot begun when the first crawl was cut had less than a minute left
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/^cycle \d{8}T\d{6}Z \(not collected\) failed in /);
    expect(told).toMatch(/the crawl did not end within its slot \(1 min 0 s\): a period shorter than a crawl collects nothing/);
    const next = new Date(/next cycle at (\S+)/.exec(told)![1]!).getTime();
    expect(next).toBeGreaterThan(toldAt);
  });
});
