import { rm } from 'node:fs/promises';
import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, temporaryDataDir, twitchEnv } from './support/cli-process';

// The Helix simulator stands in for Twitch (the same API and OAuth endpoints), so the run below
// is the path of a user with Twitch credentials; its faults are what Twitch can answer.
let helix: HelixSimulator;
let dataDir: string;

beforeAll(async () => {
  helix = await startHelixSimulator({ seed: 5, averageLiveChannels: 300, faults: { cursorLoop: true, serverErrorRate: 0.3 } });
  dataDir = await temporaryDataDir();
});

afterAll(async () => {
  await helix.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('twitch-pipeline run against Twitch', () => {
  it('names on stderr the calls it retried and the listing it found looping back, never the secret', async () => {
    // prepare
    const env = twitchEnv(dataDir, helix);

    // act
    const result = await runCli(['run'], env);

    // assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('warning: Twitch Helix: cursor led back to streams already seen; stopping this language');
    expect(result.stderr).toMatch(/warning: Twitch Helix: Helix call failed; retrying \{"path":"\/streams"/);
    expect(result.stdout + result.stderr).not.toContain(helix.credentials.clientSecret);
  });
});
