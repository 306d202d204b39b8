import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { DuckDbEngine, defaultMemoryLimit } from '../src/index';

const GIB = 2 ** 30;

async function memoryLimitSetting(settings: Record<string, string>): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:', settings);
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll("SELECT current_setting('memory_limit') AS limit");
    return String(reader.getRowObjects()[0]!.limit);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('defaultMemoryLimit', () => {
  it('gives DuckDB 60 % of the machine, or of its container when that is smaller', () => {
    // prepare
    const machine = 24 * GIB;

    // act
    const limits = {
      machineOnly: defaultMemoryLimit(machine, 0),
      noCgroupLimit: defaultMemoryLimit(machine, 2 ** 64),
      container: defaultMemoryLimit(machine, 1.5 * GIB),
      tiny: defaultMemoryLimit(machine, 64 * 2 ** 20),
    };

    // assess
    expect(limits).toEqual({ machineOnly: '14745MiB', noCgroupLimit: '14745MiB', container: '921MiB', tiny: '128MiB' });
  });

  it('is what an engine opened without a limit gets, not DuckDB’s own 80 %', async () => {
    // prepare
    const engine = await DuckDbEngine.open();

    // act
    const [row] = await engine.all<{ limit: string }>("SELECT current_setting('memory_limit') AS limit").finally(() => engine.close());

    // assess
    expect(row!.limit).toBe(await memoryLimitSetting({ memory_limit: defaultMemoryLimit() }));
    expect(row!.limit).not.toBe(await memoryLimitSetting({}));
  });
});

describe('DuckDbEngine.open', () => {
  it('keeps freed blocks for reuse up to the memory limit only when asked to', async () => {
    // prepare
    const engines = [
      await DuckDbEngine.open({ memoryLimit: '1536MB', reuseFreedBlocks: true }),
      await DuckDbEngine.open({ reuseFreedBlocks: true }),
      await DuckDbEngine.open({ memoryLimit: '1536MB' }),
    ];

    // act
    const [limited, unlimited, plain] = await Promise.all(
      engines.map(async (engine) => {
        const query = "SELECT current_setting('block_allocator_memory') AS kept, current_setting('memory_limit') AS limit";
        const [row] = await engine.all<{ kept: string; limit: string }>(query).finally(() => engine.close());
        return row!;
      }),
    );

    // assess
    expect(limited).toEqual({ kept: await memoryLimitSetting({ memory_limit: '1536MB' }), limit: await memoryLimitSetting({ memory_limit: '1536MB' }) });
    expect(unlimited!.kept).toBe(await memoryLimitSetting({ memory_limit: defaultMemoryLimit() }));
    expect(plain!.kept).toBe('0 bytes');
  });
});
