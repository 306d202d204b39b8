import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../src/cli/typing-folder';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

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

  const npmEnv = (script: string, dataDir: string) => cliEnv(dataDir, { INIT_CWD: reports, npm_lifecycle_event: script });

  it('writes a relative --out in that subfolder', async () => {
    // prepare
    const env = npmEnv('twitch-pipeline', await temporaryDataDir());
    // act
    const result = await runCli(['query', 'SELECT 42 AS answer', '--out', 'answer.csv'], env, undefined, root);
    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(join(reports, 'answer.csv'));
    expect(existsSync(join(reports, 'answer.csv'))).toBe(true);
    expect(existsSync(join(root, 'answer.csv'))).toBe(false);
  });

  it('reads a relative PIPELINE_DATA_DIR from the subfolder', async () => {
    // prepare
    const env = npmEnv('start', 'mine');
    // act
    const result = await runCli(['status', '--json'], env, undefined, root);
    // assess
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { dataDir: string }).dataDir).toBe(join(reports, 'mine'));
  });

  it('looks for a relative ALERT_RULES_FILE in the subfolder, and names that path when it is missing', async () => {
    // prepare: the rules file is in the root, where npm runs the script, not where it was typed
    await writeFile(join(root, 'rules.json'), JSON.stringify({ rules: [] }));
    const env = { ...npmEnv('twitch-pipeline', await temporaryDataDir()), ALERT_RULES_FILE: 'rules.json' };
    // act
    const result = await runCli(['run'], env, undefined, root);
    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `Cannot read the alert rules file rules.json: it does not exist (no file at ${join(reports, 'rules.json')})\n` +
        'Point ALERT_RULES_FILE at a rules file this user can read, or unset it, and try again; a relative path is read from the folder the command was typed in.\n',
    );
  });

  it('leaves the folder alone under any other npm script (a test run)', async () => {
    // prepare
    const env = npmEnv('test', await temporaryDataDir());
    // act
    const result = await runCli(['query', 'SELECT 42 AS answer', '--out', 'answer.csv'], env, undefined, root);
    // assess
    expect(result.code).toBe(0);
    expect(existsSync(join(root, 'answer.csv'))).toBe(true);
    expect(existsSync(join(reports, 'answer.csv'))).toBe(false);
  });
});

describe('the default data directory', () => {
  it("is the repository's data when the command runs outside the repository", async () => {
    // prepare: no PIPELINE_DATA_DIR; `status` reads the data directory (creating it if missing, as `npm start` would)
    const env = cliEnv('unused');
    delete env.PIPELINE_DATA_DIR;
    const elsewhere = await temporaryDataDir();
    // act
    const result = await runCli(['status', '--json'], env, undefined, elsewhere);
    // assess
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { dataDir: string }).dataDir).toBe(join(fileURLToPath(new URL('../../..', import.meta.url)), 'data'));
  });

  const repository = join(sep, 'home', 'ana', 'twitch-streams');

  it.each([
    ['the repository root', repository, `.${sep}data`],
    ['a subfolder', join(repository, 'docs'), join('..', 'data')],
    ['a folder two levels down', join(repository, 'apps', 'cli'), join('..', '..', 'data')],
    ['a folder outside the repository', join(sep, 'tmp', 'reports'), join(repository, 'data')],
    ['a sibling whose name starts like the repository', `${repository}-old`, join(repository, 'data')],
  ])('is the repository data, named from %s', (_, folder, expected) => {
    // act
    const dataDir = defaultDataDir(folder, repository);
    // assess
    expect(dataDir).toBe(expected);
  });
});
