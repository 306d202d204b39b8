import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

// A mistyped PIPELINE_DATA_DIR used to answer every query with empty views, and created the folder.
describe('a data directory that does not exist', () => {
  it.each([
    [['query', 'SELECT count(*) FROM gold_streams_diario']],
    [['dashboard', '--out', 'page.html']],
    [['channel', 'gaules']],
    [['alerts']],
    [['dlq', 'count']],
    [['rebuild']],
  ])('is refused by %j with what to do, and is not created', async (args) => {
    // prepare
    const missing = join(await temporaryDataDir(), 'typo');

    // act
    const result = await runCli(args, cliEnv(missing));

    // assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`no data directory at ${missing}`);
    expect(result.stderr).toContain('run `npm start` or `twitch-pipeline run` first, or set PIPELINE_DATA_DIR');
    expect(existsSync(missing)).toBe(false);
  });

  it('is reported by status as not created yet, without creating it', async () => {
    // prepare
    const missing = join(await temporaryDataDir(), 'typo');

    // act
    const text = await runCli(['status'], cliEnv(missing));
    const json = await runCli(['status', '--json'], cliEnv(missing));

    // assess
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`Data directory: ${missing} (none yet: \`npm start\` or \`twitch-pipeline run\` collects into it)\n`);
    expect(JSON.parse(json.stdout)).toEqual({ dataDir: missing, exists: false });
    expect(existsSync(missing)).toBe(false);
  });
});
