import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

describe('a TMPDIR the command cannot write', () => {
  it.each([
    { command: 'query "SELECT 1"', args: ['query', 'SELECT 1'] },
    { command: 'status', args: ['status'] },
  ])('fails `$command` with what to set, naming TMPDIR and the folder, with no stack', async ({ args }) => {
    // prepare: TMPDIR under a regular file, which even root cannot make a folder in
    const dataDir = await temporaryDataDir();
    const file = join(dataDir, 'a-file');
    await writeFile(file, 'not a folder\n');
    const folder = join(file, 'tmp');

    // act
    const result = await runCli(args, cliEnv(dataDir, { TMPDIR: folder }));

    // assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: the temporary folder ${folder} (TMPDIR) is not writable (ENOTDIR)\n  DuckDB keeps its spill files there: set TMPDIR to a folder you can write\n`,
    );
  });
  it('fails the cycle of `run` with the same words, before its extract asks the simulator for a page', async () => {
    // prepare
    const dataDir = await temporaryDataDir();
    const file = join(dataDir, 'a-file');
    await writeFile(file, 'not a folder\n');
    const folder = join(file, 'tmp');

    // act
    const result = await runCli(['run', '--channels', '200'], cliEnv(dataDir, { TMPDIR: folder }));

    // assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^cycle \d{8}T\d{6}Z \(not collected\) failed in /);
    expect(result.stderr).toContain(`  failed: the temporary folder ${folder} (TMPDIR) is not writable (ENOTDIR): `);
    expect(result.stderr).toContain('set TMPDIR to a folder you can write');
  });
});
