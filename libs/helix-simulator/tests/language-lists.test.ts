import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../src/index';
import { Population } from '../src/population';

const AT = new Date('2026-11-29T21:10:00Z');
const NO_FILTER = { gameIds: [], userLogins: [], userIds: [] };

describe('live lists filtered by language', () => {
  it.each([[['pt']], [['en', 'es']], [['pt', 'xx']], [['xx']]])('for %j hold the same streams, in the same order and with the same records, as the whole list filtered', (codes) => {
    // prepare
    const whole = new Population(5, 3_000).liveAt(AT);
    const indexes = new Set(codes.map((code) => LANGUAGES.findIndex((language) => language.code === code)));
    const expected = whole.entries.filter((entry) => indexes.has(entry.language));
    // act: a fresh population answers the language query without building the whole list first
    const narrowed = new Population(5, 3_000).matching(AT, { languages: codes, ...NO_FILTER });
    // assess
    expect(narrowed.entries.map((entry) => entry.streamId)).toEqual(expected.map((entry) => entry.streamId));
    expect(narrowed.entries.map((entry) => narrowed.recordOf(entry))).toEqual(expected.map((entry) => whole.recordOf(entry)));
    if (codes.includes('pt')) expect(expected.length).toBeGreaterThan(0);
  });
});
