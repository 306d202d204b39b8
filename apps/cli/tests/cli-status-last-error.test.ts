import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRunRecord } from '../src/runtime/cycle';
import { writeRunRecord } from '../src/runtime/runs-log';
import { cliEnv, runInProcess, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

describe('status after a failed run', () => {
  it('prints the newest error whole below the table, which cuts it to a cell', async () => {
    // prepare: an older failure, then a newer one whose reason is far longer than a cell
    const dataDir = await temporaryDataDir();
    const older = { ...newRunRecord('cycle', 'twitch', new Date('2026-12-06T16:30:00Z')), status: 'failed' as const, error: 'an older failure' };
    const reason = 'snapshot 20261206T170000Z failed, nothing was written: could not obtain an app token: POST /oauth2/token was refused by id.twitch.tv (400): invalid client secret';
    const newer = { ...newRunRecord('cycle', 'twitch', new Date('2026-12-06T17:00:00Z')), status: 'failed' as const, error: reason };
    for (const record of [older, newer]) await writeRunRecord(join(dataDir, 'runs'), record);

    // act
    const result = await runInProcess(['status'], cliEnv(dataDir));

    // assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`  last error (2026-12-06 17:00:00, failed): ${reason}\n`);
    expect(result.stdout).not.toContain('last error (2026-12-06 16:30:00');
  });
});
