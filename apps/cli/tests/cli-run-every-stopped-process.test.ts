import { rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { snapshotIdFor } from '@twitch-pipeline/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, stderrMatching, stdoutMatching, temporaryDataDir, twitchEnv } from './support/cli-process';

// Every answer of this Twitch stand-in takes 2 s until the collector is stopped, so that its first
// crawl is still under way then; it answers at once after.
let helix: HelixSimulator;
let dataDir: string;

beforeAll(async () => {
  helix = await startHelixSimulator({ seed: 11, averageLiveChannels: 2_000, faults: { latencyMs: 2_000 } });
  dataDir = await temporaryDataDir();
});

afterAll(async () => {
  await helix.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('run --every stopped with SIGSTOP during its crawl until past the end of its slot', () => {
  it('names the stop rather than a period too short, and collects the slot it resumed in at once', { timeout: 240_000 }, async () => {
    // prepare: stopped once its crawl asked for a page after its token
    const collector = spawnCli(['run', '--every', '1m'], twitchEnv(dataDir, helix));
    await stderrMatching(collector.child, /collecting from/);
    while (helix.stats().requests < 2) await delay(50);
    collector.child.kill('SIGSTOP');
    helix.setFaults({ latencyMs: 0 });
    // The first crawl's slot ends a minute after it began, before the stop: stopped for longer, the
    // process is cut at its resume. It is resumed with more than a few seconds of a slot left, for
    // the slot it resumes in to be the one collected.
    await delay(65_000);
    const intoSlot = Date.now() % 60_000;
    if (intoSlot >= 45_000) await delay(61_000 - intoSlot);
    const cutTold = stderrMatching(collector.child, /the crawl did not end within its slot[\s\S]*next cycle at (\S+)/);
    const collected = stdoutMatching(collector.child, /^cycle \S+ ok in /m);

    // act
    collector.child.kill('SIGCONT');
    const told = await cutTold;
    const toldAt = Date.now();
    const printed = await collected;
    collector.child.kill('SIGINT');
    const stopped = await collector.finished;

    // assess: the cut crawl counts only the seconds it ran, so the slot begun is not named missed
    expect(stopped.code).toBe(130);
    expect(told).toMatch(/the crawl did not end within its slot \(1 min 0 s\): the process was stopped or stalled for 1 min \d+ s \(Ctrl-Z/);
    expect(told).not.toMatch(/a period shorter than a crawl|missed/);
    const next = new Date(/next cycle at (\S+)/.exec(told)![1]!);
    expect(next.getTime()).toBeLessThanOrEqual(toldAt);
    expect(printed).toMatch(new RegExp(`^cycle ${snapshotIdFor(next)} ok in `, 'm'));
  });
});
