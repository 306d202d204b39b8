import { rm } from 'node:fs/promises';
import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotIdFor } from '@twitch-pipeline/schemas';
import { spawnCli, stderrMatching, temporaryDataDir, twitchEnv } from './support/cli-process';

// Every answer of this Twitch stand-in takes 9 s until the first crawl is cut at the end of its
// one-minute slot, as a crawl is when Twitch or the network stalls for a whole slot; then it
// answers at once again.
let helix: HelixSimulator;
let dataDir: string;

beforeAll(async () => {
  helix = await startHelixSimulator({ seed: 5, averageLiveChannels: 2_000, faults: { latencyMs: 9_000 } });
  dataDir = await temporaryDataDir();
});

afterAll(async () => {
  await helix.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('run --every after a crawl cut at the end of its slot', () => {
  it('collects the slot it announced once Twitch answers again, rather than naming every later slot missed', { timeout: 240_000 }, async () => {
    // prepare
    const collector = spawnCli(['run', '--every', '1m'], twitchEnv(dataDir, helix));
    const cutTold = await stderrMatching(collector.child, /the crawl did not end within its slot[\s\S]*next cycle at (\S+)/);
    const announced = new Date(/next cycle at (\S+)/.exec(cutTold)![1]!);
    helix.setFaults({ latencyMs: 0 });

    // act: the announced slot is either collected or named missed, whichever comes first
    const told = await stderrMatching(collector.child, new RegExp(`missed [^\\n]*${announced.toISOString()}|next cycle at (?!${announced.toISOString()})`));
    collector.child.kill('SIGINT');
    const stopped = await collector.finished;

    // assess: the slot begun when the cut crawl ended may be named missed, not the one announced
    expect(told).not.toMatch(new RegExp(`missed [^\\n]*${announced.toISOString()}`));
    expect(stopped.stdout).toMatch(new RegExp(`^cycle ${snapshotIdFor(announced)} ok in `, 'm'));
  });
});
