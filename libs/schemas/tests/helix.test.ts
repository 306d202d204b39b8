import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  describeIssues,
  helixGamesPageSchema,
  helixStreamSchema,
  helixStreamsPageSchema,
  oauthTokenResponseSchema,
} from '../src/index';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('Helix payloads shaped like the API reference', () => {
  it('parses a GET /helix/streams page and each of its streams', () => {
    // prepare
    const payload = fixture('get-streams.json');

    // act
    const page = helixStreamsPageSchema.parse(payload);
    const streams = page.data.map((record) => helixStreamSchema.parse(record));

    // assess
    expect(page.pagination.cursor).toMatch(/^eyJi/);
    expect(streams).toHaveLength(2);
    expect(streams[0]).toMatchObject({ id: '40952121085', user_login: 'afro', viewer_count: 1490, tags: ['English'] });
    expect(streams[1]).toMatchObject({ game_id: '', tags: null, is_mature: true });
    expect(streams[1]?.tag_ids).toBeUndefined();
  });

  it('parses the last page, which has no cursor', () => {
    // act
    const page = helixStreamsPageSchema.parse({ data: [], pagination: {} });
    // assess
    expect(page.pagination.cursor).toBeUndefined();
  });

  it('parses a GET /helix/games page, including an empty igdb_id', () => {
    // act
    const page = helixGamesPageSchema.parse(fixture('get-games.json'));
    // assess
    expect(page.data.map((game) => [game.name, game.igdb_id])).toEqual([
      ['Fortnite', '1905'],
      ['Just Chatting', ''],
    ]);
  });

  it('parses the client-credentials token response', () => {
    // act
    const token = oauthTokenResponseSchema.parse({
      access_token: 'jostpf5q0uzmxmkba9iyug38kjtgh',
      expires_in: 5011271,
      token_type: 'bearer',
    });
    // assess
    expect(token.expires_in).toBe(5011271);
  });

  it('tolerates unknown extra fields and keeps them out of the typed row', () => {
    // prepare
    const record = { ...fixture('get-streams.json').data[0], brand_new_field: { nested: true } };
    // act
    const stream = helixStreamSchema.parse(record);
    // assess
    expect(stream).not.toHaveProperty('brand_new_field');
  });
});

describe('malformed Helix streams are rejected with the field and the problem', () => {
  const valid = () => structuredClone(fixture('get-streams.json').data[0]) as Record<string, unknown>;
  const variants: [string, (record: Record<string, unknown>) => void, string][] = [
    ['missing id', (r) => delete r.id, 'id'],
    ['non-numeric id', (r) => (r.id = 'abc'), 'id'],
    ['numeric user_id', (r) => (r.user_id = 101051819), 'user_id'],
    ['empty user_login', (r) => (r.user_login = ''), 'user_login'],
    ['null user_login', (r) => (r.user_login = null), 'user_login'],
    ['viewer_count as string', (r) => (r.viewer_count = '1490'), 'viewer_count'],
    ['negative viewer_count', (r) => (r.viewer_count = -3), 'viewer_count'],
    ['fractional viewer_count', (r) => (r.viewer_count = 1.5), 'viewer_count'],
    ['unparsable started_at', (r) => (r.started_at = 'yesterday'), 'started_at'],
    ['is_mature as string', (r) => (r.is_mature = 'false'), 'is_mature'],
    ['tags not an array', (r) => (r.tags = 'English'), 'tags'],
    ['tags with a number', (r) => (r.tags = ['ok', 3]), 'tags.1'],
    ['missing title', (r) => delete r.title, 'title'],
    ['game_name null', (r) => (r.game_name = null), 'game_name'],
    ['missing language', (r) => delete r.language, 'language'],
  ];

  it.each(variants)('%s', (_name, mutate, field) => {
    // prepare
    const record = valid();
    mutate(record);

    // act
    const result = helixStreamSchema.safeParse(record);

    // assess
    expect(result.success).toBe(false);
    const messages = result.success ? [] : describeIssues(result.error);
    expect(messages.some((message) => message.startsWith(`${field}:`))).toBe(true);
  });

  it('rejects a record that is not an object at all', () => {
    // act
    const result = helixStreamSchema.safeParse('not a stream');
    // assess
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)[0]).toMatch(/^\(record\): .*expected object/);
  });

  it('rejects a token response of the wrong type', () => {
    // act
    const result = oauthTokenResponseSchema.safeParse({ access_token: 'x', expires_in: 10, token_type: 'mac' });
    // assess
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)).toEqual(['token_type: must be "bearer"']);
  });
});
