import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, spawnCli, stderrMatching, useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();

describe('twitch-pipeline when its terminal closes (SIGHUP)', () => {
  it('stops a run as SIGTERM does: the run recorded interrupted, the lock released', async () => {
    // prepare: a cycle whose crawl takes a few seconds, under way once the lock is taken
    const dataDir = await dataDirectory();
    const run = spawnCli(['run', '--channels', '8000', '--at', '2026-11-29T12:00:00Z'], cliEnv(dataDir));
    await stderrMatching(run.child, /collecting from/);
    await access(join(dataDir, 'pipeline.lock'));

    // act
    run.child.kill('SIGHUP');
    const result = await run.finished;

    // assess
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('SIGHUP: finishing the current step');
    expect(await readdir(dataDir)).not.toContain('pipeline.lock');
    const records = await readdir(join(dataDir, 'runs'));
    expect(records).toHaveLength(1);
    expect(JSON.parse(await readFile(join(dataDir, 'runs', records[0]!), 'utf8')).status).toBe('interrupted');
  });
});
