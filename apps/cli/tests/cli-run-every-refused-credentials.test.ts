import { rm } from 'node:fs/promises';
import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, stderrMatching, temporaryDataDir, twitchEnv } from './support/cli-process';

// A Twitch stand-in that refuses a wrong client secret as Twitch's token endpoint does (403,
// "invalid client secret"). The credentials are read once from the environment, so no later
// cycle of the collector could be accepted.
let helix: HelixSimulator;
let dataDir: string;

beforeAll(async () => {
  helix = await startHelixSimulator({ seed: 5, averageLiveChannels: 200 });
  dataDir = await temporaryDataDir();
});

afterAll(async () => {
  await helix.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('run --every with credentials Twitch refuses', () => {
  it('stops after the refused cycle, saying why and what to do, instead of failing every slot for good', async () => {
    // prepare
    const env = { ...twitchEnv(dataDir, helix), TWITCH_CLIENT_SECRET: 'a-secret-twitch-does-not-know' };
    const collector = spawnCli(['run', '--every', '30m'], env);

    // act: either the collector ends, or it settles down to wait for the next slot
    const outcome = await Promise.race([
      collector.finished.then((result) => ({ result, waiting: false })),
      stderrMatching(collector.child, /next cycle at /).then(
        () => ({ result: undefined, waiting: true }),
        () => ({ result: undefined, waiting: false }),
      ),
    ]);
    if (outcome.waiting) collector.child.kill('SIGINT');
    const stopped = outcome.result ?? (await collector.finished);

    // assess
    expect(outcome.waiting).toBe(false);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(/^cycle \d{8}T\d{6}Z \(not collected\) failed in /);
    expect(stopped.stderr).toContain('invalid client secret');
    expect(stopped.stderr).toContain('Twitch refused the app credentials (TWITCH_CLIENT_ID, TWITCH_CLIENT_SECRET)');
    expect(stopped.stderr).not.toContain('a-secret-twitch-does-not-know');
  });
});
