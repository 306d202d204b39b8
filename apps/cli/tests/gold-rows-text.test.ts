import { describe, expect, it } from 'vitest';
import { describeGoldRows } from '../src/runtime/backfill';

describe('the gold line of a backfill and of the demo', () => {
  it('writes the rows of each table with thousands separators, as the other figures are written', () => {
    // act
    const text = describeGoldRows({ streams_diario: 62062, canais_hora: 1177996, idiomas_periodo: 30 });

    // assess
    expect(text).toBe('streams_diario 62,062, canais_hora 1,177,996, idiomas_periodo 30');
  });
});
