import { describe, expect, it } from 'vitest';
import { describeGoldRows } from '../src/runtime/cycle-messages';
import { cliEnv, runCli, useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();

describe('the gold line of a backfill and of the demo', () => {
  it('writes the rows of each table with thousands separators, as the other figures are written', () => {
    // act
    const text = describeGoldRows({ streams_diario: 62062, canais_hora: 1177996, idiomas_periodo: 30 });

    // assess
    expect(text).toBe('streams_diario 62,062, canais_hora 1,177,996, idiomas_periodo 30');
  });
});

describe('the gold line of a cycle', () => {
  it('writes the rows of each table with thousands separators, as the cycle line after it does', async () => {
    // prepare: enough channels for a table of more than a thousand rows
    const env = cliEnv(await dataDirectory());

    // act
    const cycle = await runCli(['run', '--at', '2026-11-29T12:00:00Z', '--channels', '2000'], env);

    // assess
    expect(cycle.code).toBe(0);
    const gold = (cycle.stdout + cycle.stderr).split('\n').find((line) => /^\s+gold\s/.test(line));
    const counts = [...(gold ?? '').matchAll(/\b[a-z_]+ ([\d,]+)(?=,| \()/g)].map((match) => match[1]!);
    expect(counts).toHaveLength(8);
    expect(counts.some((text) => text.includes(','))).toBe(true);
    for (const text of counts) expect(text).toMatch(/^\d{1,3}(,\d{3})*$/);
  });
});
