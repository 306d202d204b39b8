import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

describe('a real-time table this user cannot read', () => {
  it('is named by query and status, which still answer, instead of passing for a table with no events', async () => {
    // prepare: a file where the segments folder goes fails for root too, as another user's folder fails for anyone else
    const dataDir = await temporaryDataDir();
    await mkdir(join(dataDir, 'realtime'), { recursive: true });
    await writeFile(join(dataDir, 'realtime', 'segments'), 'not a folder');
    const env = cliEnv(dataDir);

    // act
    const query = await runCli(['query', 'SELECT count(*) AS n FROM realtime_events', '--format', 'csv'], env);
    const status = await runCli(['status'], env);

    // assess
    const warning = `warning: the real-time table cannot be read (ENOTDIR: not a directory, scandir '${join(dataDir, 'realtime', 'segments')}'): realtime_events is empty here`;
    expect(query.code, query.stderr).toBe(0);
    expect(query.stdout).toBe('n\n0\n');
    expect(query.stderr).toContain(warning);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toContain(warning);
    expect(status.stdout).toContain('real time  latest event — (never), 0 channels');
  });
});
