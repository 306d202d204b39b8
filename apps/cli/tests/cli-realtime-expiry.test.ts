import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

async function dataSegments(dataDir: string): Promise<string[]> {
  return (await readdir(join(dataDir, 'realtime', 'segments'))).filter((name) => !name.includes('empty'));
}

/** A data directory whose one real-time segment, written by a cycle three hours ago with a TTL of one hour, was last touched two hours ago. */
async function dataDirWithExpiredSegment(): Promise<{ dataDir: string; env: NodeJS.ProcessEnv; expired: string }> {
  const dataDir = await temporaryDataDir();
  const env = cliEnv(dataDir, { REALTIME_TTL_HOURS: '1' });
  const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
  const first = await runCli(['run', '--at', threeHoursAgo, '--channels', '200'], env);
  if (first.code !== 0) throw new Error(`run --at failed: ${first.stderr}`);
  const [expired] = await dataSegments(dataDir);
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  await utimes(join(dataDir, 'realtime', 'segments', expired!), twoHoursAgo, twoHoursAgo);
  return { dataDir, env, expired: expired! };
}

describe('the local real-time table over many runs', () => {
  it('sheds the segments whose items have all expired on the next cycle, as DynamoDB drops expired items', async () => {
    // prepare
    const { dataDir, env, expired } = await dataDirWithExpiredSegment();

    // act
    const next = await runCli(['run', '--channels', '200'], env);

    // assess
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/consume +[\d,]+ items upserted, 0 dead-lettered, 1 expired segment removed/);
    const left = await dataSegments(dataDir);
    expect(left).not.toContain(expired);
    expect(left).toHaveLength(1);
  });

  it('sheds them after a backfill too', async () => {
    // prepare
    const { dataDir, env, expired } = await dataDirWithExpiredSegment();

    // act
    const backfill = await runCli(['backfill', '--hours', '1', '--channels', '200'], env);

    // assess
    expect(backfill.code).toBe(0);
    expect(backfill.stderr).toContain('real time: 1 expired segment removed');
    expect(await dataSegments(dataDir)).not.toContain(expired);
  });
});
