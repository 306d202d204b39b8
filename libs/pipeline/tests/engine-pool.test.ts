import type { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { describe, expect, it } from 'vitest';
import { runOnEnginePool } from '../src/index';

describe('runOnEnginePool', () => {
  it('replaces each engine with a fresh one, set up again, after 256 items, and returns results in order', async () => {
    // prepare: 600 items on one engine at a time
    const setUp: DuckDbEngine[] = [];
    const items = Array.from({ length: 600 }, (_, index) => index);

    // act
    const results = await runOnEnginePool(
      { threads: 1 },
      items,
      async (engine) => {
        setUp.push(engine);
      },
      async (engine, item) => ({ item, engine, one: (await engine.all<{ one: number }>('SELECT 1 AS one'))[0]!.one }),
    );

    // assess: 256 + 256 + 88 items on three engines, each set up before its first item
    expect(results.map((result) => result.item)).toEqual(items);
    expect(results.every((result) => result.one === 1)).toBe(true);
    expect(setUp).toHaveLength(3);
    expect(new Set(results.map((result) => result.engine))).toEqual(new Set(setUp));
    expect(results.filter((result) => result.engine === setUp[2]).map((result) => result.item)).toEqual(items.slice(512));
  });
});
