import { describe, expect, it } from 'vitest';
import { formatTable } from '../src/cli/table';

describe('formatTable numbers', () => {
  it('rounds fractions to two decimals, but never shows a non-zero number as 0 or -0', () => {
    // prepare: a share of viewers far below 1 %, a tiny negative change, and ordinary values
    const result = { columns: ['v'], rows: [[0.004], [-0.001], [1e-10], [0.0049], [-0.005], [-0], [1234.5678], [12], [Number.NaN]] };

    // act
    const cells = formatTable(result)
      .split('\n')
      .filter((line) => line.startsWith('│'))
      .slice(1)
      .map((line) => line.replace(/│/g, '').trim());

    // assess
    expect(cells).toEqual(['0.004', '-0.001', '1e-10', '0.0049', '-0.01', '0', '1,234.57', '12', 'NaN']);
  });
});
