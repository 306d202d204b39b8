import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

describe('the commands npm start suggests next', () => {
  it('name the data directory it was given, quoted so that a shell reads it back whole', async () => {
    // prepare: a folder name a shell would split or end early
    const dataDir = join(await temporaryDataDir(), "dados d'ana");

    // act
    const result = await runCli(['start', '--channels', '300'], cliEnv(dataDir));

    // assess
    expect(result.code).toBe(0);
    const hint = result.stdout.split('\n').find((line) => line.includes('query --list'));
    const word = /PIPELINE_DATA_DIR=(.+?) npm run twitch-pipeline -- query --list/.exec(hint ?? '')?.[1];
    expect(word).toBeDefined();
    expect(execFileSync('sh', ['-c', `printf %s ${word}`]).toString()).toBe(dataDir);
  });
});
