import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from './support/cli-process';

// npm runs a package script in the package's root and keeps the folder it was typed in as
// INIT_CWD; these runs give the command that environment, as `npm run twitch-pipeline -- …`
// typed in the subfolder `reports` would.
describe('a command typed in a subfolder of the repository', () => {
  let root: string;
  let reports: string;

  beforeEach(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'cli-typing-folder-')));
    reports = join(root, 'reports');
    await mkdir(reports);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function npmEnv(script: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env = cliEnv('unused', { INIT_CWD: reports, npm_lifecycle_event: script, ...extra });
    if (!('PIPELINE_DATA_DIR' in extra)) delete env.PIPELINE_DATA_DIR;
    return env;
  }

  it('writes a relative --out in that subfolder', async () => {
    // prepare
    const env = npmEnv('twitch-pipeline');
    // act
    const result = await runCli(['query', 'SELECT 42 AS answer', '--out', 'answer.csv'], env, undefined, root);
    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(join(reports, 'answer.csv'));
    expect(existsSync(join(reports, 'answer.csv'))).toBe(true);
    expect(existsSync(join(root, 'answer.csv'))).toBe(false);
  });

  it('keeps the default data directory at the root, named from the subfolder', async () => {
    // prepare
    const env = npmEnv('start');
    // act
    const result = await runCli(['status', '--json'], env, undefined, root);
    // assess
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { dataDir: string }).dataDir).toBe(join(root, 'data'));
  });

  it('reads a relative PIPELINE_DATA_DIR from the subfolder', async () => {
    // prepare
    const env = npmEnv('twitch-pipeline', { PIPELINE_DATA_DIR: 'mine' });
    // act
    const result = await runCli(['status', '--json'], env, undefined, root);
    // assess
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { dataDir: string }).dataDir).toBe(join(reports, 'mine'));
  });

  it('leaves the folder alone under any other npm script (a test run)', async () => {
    // prepare
    const env = npmEnv('test');
    // act
    const result = await runCli(['query', 'SELECT 42 AS answer', '--out', 'answer.csv'], env, undefined, root);
    // assess
    expect(result.code).toBe(0);
    expect(existsSync(join(root, 'answer.csv'))).toBe(true);
    expect(existsSync(join(reports, 'answer.csv'))).toBe(false);
  });
});
