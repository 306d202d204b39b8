import { describe, expect, it } from 'vitest';
import { sizeText } from '../src/cli/io';

describe('sizeText', () => {
  it.each([
    [0, '0 B'],
    [30, '30 B'],
    [999, '999 B'],
    [1_000, '1 kB'],
    [48_213, '48 kB'],
    [999_499, '999 kB'],
    [2_400_000, '2.4 MB'],
  ])('prints %i bytes as %s', (bytes, expected) => {
    // act
    const text = sizeText(bytes);

    // assess
    expect(text).toBe(expected);
  });
});
