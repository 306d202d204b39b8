import { describe, expect, it } from 'vitest';
import { duckdbLiteralPath, pathOfDuckdbLiteral } from '../src/index';

describe('duckdbLiteralPath', () => {
  it('brackets each glob character and leaves every other character as it is', () => {
    // prepare
    const path = "/data/it's [old] lake*?/a]{b,c}~$HOME %d.parquet";
    // act
    const literal = duckdbLiteralPath(path);
    // assess
    expect(literal).toBe("/data/it's [[]old] lake[*][?]/a]{b,c}~$HOME %d.parquet");
  });

  it('is undone by pathOfDuckdbLiteral, even where the path already held a bracketed character', () => {
    // prepare
    const paths = ['/plain/path.parquet', '/a/[*]/b[?]/[[]x]', '/x/**/y', '/p/[]/q'];
    // act
    const roundTrips = paths.map((path) => pathOfDuckdbLiteral(duckdbLiteralPath(path)));
    // assess
    expect(roundTrips).toEqual(paths);
  });
});
