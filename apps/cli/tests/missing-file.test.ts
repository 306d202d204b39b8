import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { duckdbLiteralPath } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { missingFileOf } from '../src/lake/missing-file';
import { temporaryDataDir } from './support/cli-process';

describe('missingFileOf', () => {
  it('names the file of a DuckDB read that did not find it, and nothing for other failures', async () => {
    // prepare: real DuckDB failures, a missing file (with a quote in its path) and a syntax error
    const missing = join(await temporaryDataDir(), "it's gone.parquet");
    const failures = await withEngine({}, async (engine) => [
      await engine.all('SELECT count(*) FROM read_parquet($file)', { file: missing }).catch((error: unknown) => error),
      await engine.all('SELEC 1').catch((error: unknown) => error),
    ]);

    // act
    const found = failures.map((failure) => missingFileOf(failure));

    // assess
    expect(found).toEqual([missing, undefined]);
  });

  it('names the file itself when the read named it as a literal pattern (glob characters bracketed)', async () => {
    // prepare
    const missing = join(await temporaryDataDir(), 'lake [old]*?', 'gone.parquet');
    const failure = await withEngine({}, (engine) =>
      engine.all('SELECT count(*) FROM read_parquet($file)', { file: duckdbLiteralPath(missing) }).catch((error: unknown) => error),
    );
    // act
    const found = missingFileOf(failure);
    // assess
    expect(found).toBe(missing);
  });
});
