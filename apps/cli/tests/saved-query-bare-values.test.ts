import { describe, expect, it } from 'vitest';
import { bindSavedParameters, findSavedQuery } from '../src/lake/saved';

describe('bare --param values of the best-times queries', () => {
  it('go to the category (and language) first, as before the queries counted every snapshot of the hour', () => {
    // act: `--param "Just Chatting" --param pt`, as docs/cli.md shows
    const bestTimes = bindSavedParameters(findSavedQuery('best_times'), ['Just Chatting', 'pt']);
    const categoryHours = bindSavedParameters(findSavedQuery('category_hours'), ['Just Chatting']);

    // assess: the first distinct parameters of each query, in the order a bare value fills them
    const firstNames = (name: string) => [...new Set(findSavedQuery(name).parameters.map((parameter) => parameter.name))].slice(0, 2);
    expect(firstNames('best_times')).toEqual(['category', 'language']);
    expect(firstNames('category_hours')).toEqual(['category', 'first_date']);
    expect(bestTimes.slice(0, 2)).toEqual(['Just Chatting', 'pt']);
    expect(categoryHours[0]).toBe('Just Chatting');
  });
});

describe('a bare --param value that went to another parameter than the one meant', () => {
  it('is named where it went when the one meant is then missing', () => {
    // act: channel_rank takes its language before its login, so a login alone binds the language
    const bind = () => bindSavedParameters(findSavedQuery('channel_rank'), ['gaules']);

    // assess: before, it said only that --param login=… was needed, though a login was given
    expect(bind).toThrow('saved query "channel_rank" needs --param login=… (Channel login (lower-case)); values given without a name bind in order, so language="gaules"');
  });
});
