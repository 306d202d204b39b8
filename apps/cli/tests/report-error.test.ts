import { tmpdir } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { withEngine } from '@twitch-pipeline/duckdb';
import { describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io';
import { reportError } from '../src/cli/report-error';

/** Writes to Linux's /dev/full fail with a real "no space left on device". */
const FULL_DEVICE = '/dev/full';
const FULL_DISK_SUITE = 'reportError on a full disk';
/** Every Linux has /dev/full, so on Linux (CI included) the suite always runs, and fails without it. */
const NO_FULL_DEVICE = process.platform !== 'linux';
if (NO_FULL_DEVICE) console.log(`skipped "${FULL_DISK_SUITE}": it writes to ${FULL_DEVICE}, which only Linux has (${process.platform} here); CI runs it`);

function capturingIo(): Io & { text: () => string } {
  let text = '';
  const err = (chunk: string) => {
    text += chunk;
  };
  return { out: () => undefined, drained: async () => {}, err, interactive: false, text: () => text };
}

describe.skipIf(NO_FULL_DEVICE)(FULL_DISK_SUITE, () => {
  it('says where to free space, for a write by Node and one by DuckDB', async () => {
    // prepare: the errors a full disk really raises
    const nodeFailure = await writeFile(FULL_DEVICE, 'x').catch((error: unknown) => error);
    const duckdbFailure = await withEngine({}, (engine) => engine.run(`COPY (SELECT 1 AS x) TO '${FULL_DEVICE}' (FORMAT parquet)`)).catch(
      (error: unknown) => error,
    );
    const nodeIo = capturingIo();
    const duckdbIo = capturingIo();

    // act
    const codes = [await reportError(nodeFailure, nodeIo, {}), await reportError(duckdbFailure, duckdbIo, {})];

    // assess
    expect(codes).toEqual([1, 1]);
    expect(nodeIo.text()).toMatch(/^error: ENOSPC: no space left on device, write\n {2}the disk is full: free space where the data directory is/);
    expect(duckdbIo.text()).toMatch(/^error: .*No space left on device\n {2}the disk is full: free space/);
  });
});

describe('reportError', () => {
  it('gives other failures their message and the debug hint only', async () => {
    // prepare
    const io = capturingIo();

    // act
    const code = await reportError(new Error('IO Error: Cannot open file "x": Permission denied'), io, {});

    // assess
    expect(code).toBe(1);
    expect(io.text()).toBe('error: IO Error: Cannot open file "x": Permission denied\n  set TWITCH_PIPELINE_DEBUG=1 to see where it failed\n');
  });
});

describe("reportError when DuckDB's temporary folder has no room left", () => {
  it('names TMPDIR and the folder rather than memory, for the error DuckDB really raises', async () => {
    // prepare: a spill larger than the temporary folder DuckDB may fill (its size is set small here)
    const failure = await withEngine({ memoryLimit: '20MB', threads: 1 }, async (engine) => {
      await engine.run("SET max_temp_directory_size = '2MB'");
      return engine.all('SELECT count(*) FROM (SELECT i, md5(CAST(i AS VARCHAR)) AS h FROM range(3000000) t(i) ORDER BY h)');
    }).catch((error: unknown) => error);
    const io = capturingIo();

    // act
    const code = await reportError(failure, io, {});

    // assess: DuckDB calls it "Out of Memory", and advises SQL settings
    expect(String(failure)).toMatch(/Out of Memory Error: failed to offload data block/);
    expect(code).toBe(1);
    expect(io.text()).toContain("DuckDB's temporary folder had no room left");
    expect(io.text()).toContain(`where ${tmpdir()} is): point TMPDIR at a folder with more free space`);
  });
});
