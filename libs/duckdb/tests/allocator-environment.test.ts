import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { applyAllocatorEnvironment, DUCKDB_ALLOCATOR_ENVIRONMENT } from '../src/allocator-environment';

const run = promisify(execFile);

/** A fresh Node process that loads DuckDB with `environment` and runs one query; what it printed. */
async function loadDuckDb(environment: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  const script = [
    "const { DuckDBInstance } = await import('@duckdb/node-api');",
    "const connection = await (await DuckDBInstance.create(':memory:')).connect();",
    "const reader = await connection.runAndReadAll('SELECT sum(range) AS total FROM range(1000000)');",
    'console.log(String(reader.getRowObjects()[0].total));',
  ].join('\n');
  const env = { ...process.env, ...environment };
  return run(process.execPath, ['--input-type=module', '--eval', script], { env, cwd: import.meta.dirname });
}

// jemalloc is DuckDB's allocator in its Linux builds only; elsewhere the variable is not read, so
// whether this build reads it can only be shown on Linux.
const JEMALLOC_SUITE = 'DUCKDB_ALLOCATOR_ENVIRONMENT: the allocator of DuckDB’s Linux builds';
const NOT_LINUX = process.platform !== 'linux';
if (NOT_LINUX) console.log(`skipped "${JEMALLOC_SUITE}": DuckDB uses jemalloc only in its Linux builds, and this is ${process.platform}`);

describe('DUCKDB_ALLOCATOR_ENVIRONMENT', () => {
  it('lets DuckDB load and answer a query with no complaint from its allocator', async () => {
    // prepare
    const environment = { ...DUCKDB_ALLOCATOR_ENVIRONMENT };

    // act
    const product = await loadDuckDb(environment);

    // assess
    expect(product.stderr).not.toContain('<jemalloc>');
    expect(product.stdout.trim()).toBe('499999500000');
  });
});

describe.skipIf(NOT_LINUX)(JEMALLOC_SUITE, () => {
  it('is read by the allocator of the DuckDB this workspace installs', async () => {
    // prepare: a value jemalloc rejects shows that this build reads the variable at all
    const rejected = { DUCKDB_JE_MALLOC_CONF: 'dirty_decay_ms:soon' };

    // act
    const control = await loadDuckDb(rejected);

    // assess
    expect(control.stderr).toContain('<jemalloc>: Invalid conf value: dirty_decay_ms:soon');
  });
});

describe('applyAllocatorEnvironment', () => {
  it('sets each variable that is unset and keeps one the user set, even to empty', () => {
    // prepare
    const names = Object.keys(DUCKDB_ALLOCATOR_ENVIRONMENT);
    const saved = names.map((name) => process.env[name]);
    try {
      for (const name of names) delete process.env[name];

      // act
      applyAllocatorEnvironment();
      const applied = names.map((name) => process.env[name]);
      for (const name of names) process.env[name] = '';
      applyAllocatorEnvironment();
      const kept = names.map((name) => process.env[name]);

      // assess
      expect(names).toEqual(['DUCKDB_JE_MALLOC_CONF']);
      expect(applied).toEqual(Object.values(DUCKDB_ALLOCATOR_ENVIRONMENT));
      expect(kept).toEqual(['']);
    } finally {
      for (const [index, name] of names.entries()) {
        if (saved[index] === undefined) delete process.env[name];
        else process.env[name] = saved[index];
      }
    }
  });
});
