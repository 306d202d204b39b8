import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

async function dataSegments(dataDir: string): Promise<string[]> {
  return (await readdir(join(dataDir, 'realtime', 'segments'))).filter((name) => !name.includes('empty'));
}

describe('the local real-time table over many cycles', () => {
  it('sheds the segments whose items have all expired on the next cycle, as DynamoDB drops expired items', async () => {
    // prepare: a cycle three hours ago whose items lived one hour, its segment last written two hours ago
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir, { REALTIME_TTL_HOURS: '1' });
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
    const first = await runCli(['run', '--at', threeHoursAgo, '--channels', '200'], env);
    const [expired] = await dataSegments(dataDir);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(join(dataDir, 'realtime', 'segments', expired!), twoHoursAgo, twoHoursAgo);

    // act
    const second = await runCli(['run', '--channels', '200'], env);

    // assess
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/consume +[\d,]+ items upserted, 0 dead-lettered, 1 expired segment removed/);
    const left = await dataSegments(dataDir);
    expect(left).not.toContain(expired);
    expect(left).toHaveLength(1);
  });
});
