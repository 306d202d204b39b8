import { describe, expect, it } from 'vitest';
import { cliEnv, runInProcess, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

describe('query --out named with a suffix no export writes, and no --format', () => {
  it.each([
    ['one.parquet.gz', 'error: --out one.parquet.gz: a Parquet file compresses itself (snappy): name it .parquet, without .gz\n'],
    ['one.csv.bz2', 'error: --out one.csv.bz2: .bz2 is no compression --out writes: name it .csv.gz (gzip) or .csv.zst (zstd)\n'],
    ['one.txt', 'error: cannot tell the format of "one.txt" from its name: end it in .csv, .json, .parquet or give --format\n'],
  ])('%s is refused with the name that works, not sent to --format, which refuses it too', async (name, message) => {
    // prepare: before, a name with a format before its suffix was told to "give --format"
    const dataDir = await temporaryDataDir();

    // act
    const result = await runInProcess(['query', 'SELECT 1', '--out', `${dataDir}/${name}`], cliEnv(dataDir));

    // assess
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(message.replace(name, `${dataDir}/${name}`)) });
  });
});
