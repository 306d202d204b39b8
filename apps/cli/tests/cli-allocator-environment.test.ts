import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DUCKDB_ALLOCATOR_ENVIRONMENT } from '@twitch-pipeline/duckdb/allocator-environment';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

const LOAD_HOOK = fileURLToPath(new URL('./support/duckdb-load-environment.cjs', import.meta.url));

/** Runs a query through the launcher and returns the allocator variable each DuckDB load saw. */
async function allocatorSettingsAtLoad(userValue: string | undefined): Promise<{ code: number | null; loads: (string | null)[] }> {
  const dataDir = await temporaryDataDir();
  const loadsFile = join(dataDir, 'duckdb-loads.txt');
  const env = cliEnv(dataDir, {
    // Quoted: a clone's path may hold spaces, and NODE_OPTIONS splits on them otherwise.
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(LOAD_HOOK)}`.trim(),
    DUCKDB_LOAD_ENVIRONMENT_FILE: loadsFile,
  });
  if (userValue === undefined) delete env.DUCKDB_JE_MALLOC_CONF;
  else env.DUCKDB_JE_MALLOC_CONF = userValue;
  const { code } = await runCli(['query', 'SELECT 42 AS answer'], env);
  const loads = (await readFile(loadsFile, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as string | null);
  return { code, loads };
}

describe('the launcher starts DuckDB with the product’s allocator settings', () => {
  it('sets them before the command loads DuckDB', async () => {
    // prepare
    const userValue = undefined;

    // act
    const { code, loads } = await allocatorSettingsAtLoad(userValue);

    // assess
    expect(code).toBe(0);
    expect(loads.length).toBeGreaterThan(0);
    expect(new Set(loads)).toEqual(new Set([DUCKDB_ALLOCATOR_ENVIRONMENT.DUCKDB_JE_MALLOC_CONF]));
  });

  it('keeps a value the user set, even an empty one (DuckDB’s own settings)', async () => {
    // prepare
    const userValue = '';

    // act
    const { code, loads } = await allocatorSettingsAtLoad(userValue);

    // assess
    expect(code).toBe(0);
    expect(loads.length).toBeGreaterThan(0);
    expect(new Set(loads)).toEqual(new Set(['']));
  });
});
