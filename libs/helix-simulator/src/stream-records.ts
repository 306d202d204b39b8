import type { HelixStream } from '@twitch-pipeline/schemas';
import { rememberBounded } from './bounded-map';
import { CATEGORIES } from './categories';
import type { ChannelPool, Session } from './channel-pool';
import { GENERIC_TAGS, LANGUAGES, LOGIN_WORDS, TITLE_EMOJI } from './languages';
import { hash32, unitHash } from './random';

function pick<T>(items: readonly T[], value: number): T {
  return items[value % items.length]!;
}

/**
 * The lower-case login of `channel`: two words and the channel number in base 36 after an
 * underscore, so logins are unique without a lookup table.
 *
 * @example
 * loginOf(pool, 42); // 'pixelwolf_16'
 */
export function loginOf(pool: ChannelPool, channel: number): string {
  const first = pick(LOGIN_WORDS, hash32(pool.seed, channel, 20));
  const second = pick(LOGIN_WORDS, hash32(pool.seed, channel, 21));
  return `${first}${second}_${channel.toString(36)}`;
}

/**
 * The numeric user id of `channel`, unique per channel.
 *
 * @example
 * userIdOf(pool, 42); // '20000127'
 */
export function userIdOf(pool: ChannelPool, channel: number): string {
  return String(20_000_000 + channel * 3 + (hash32(pool.seed, channel, 24) % 3));
}

function displayNameOf(pool: ChannelPool, channel: number, login: string): string {
  const language = LANGUAGES[pool.language[channel]!]!;
  const style = hash32(pool.seed, channel, 22) % 4;
  if (language.nativeNames.length > 0 && style < 2) {
    return `${pick(language.nativeNames, hash32(pool.seed, channel, 23))}${channel.toString(36)}`;
  }
  if (style === 2) return login.toUpperCase();
  return login.charAt(0).toUpperCase() + login.slice(1);
}

function titleOf(pool: ChannelPool, session: Session, categoryName: string): string {
  const { channel, day } = session;
  const seed = pool.seed;
  const u = unitHash(seed, channel, day, 30);
  if (u < 0.02) return '';
  const language = LANGUAGES[pool.language[channel]!]!;
  const opener = pick(language.openers, hash32(seed, channel, day, 31));
  const topic = pick(language.topics, hash32(seed, channel, day, 32));
  const emoji = u < 0.6 ? `${pick(TITLE_EMOJI, hash32(seed, channel, day, 33))} ` : '';
  const subject = categoryName && u < 0.8 ? ` | ${categoryName}` : '';
  return `${emoji}${opener} ${topic}${subject}`;
}

function tagsOf(pool: ChannelPool, session: Session): string[] {
  const language = LANGUAGES[pool.language[session.channel]!]!;
  const count = hash32(pool.seed, session.channel, 40) % 4;
  if (count === 0) return [];
  const tags = [language.tag];
  for (let index = 1; index < count; index++) {
    const tag = pick(GENERIC_TAGS, hash32(pool.seed, session.channel, 41, index));
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/**
 * Seconds-precision RFC3339 UTC time, as Helix writes `started_at`.
 *
 * @example
 * helixTime(0); // '1970-01-01T00:00:00Z'
 */
export function helixTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/** The fields of a session's Helix record that stay the same all through the broadcast. */
type FixedFields = Omit<HelixStream, 'viewer_count'>;

function fixedFieldsOf(pool: ChannelPool, session: Session): FixedFields {
  const login = loginOf(pool, session.channel);
  const category = CATEGORIES[pool.categoryOf(session)];
  const categoryName = category?.name ?? '';
  return {
    id: String(pool.streamIdOf(session)),
    user_id: userIdOf(pool, session.channel),
    user_login: login,
    user_name: displayNameOf(pool, session.channel, login),
    game_id: category?.id ?? '',
    game_name: categoryName,
    type: 'live',
    title: titleOf(pool, session, categoryName),
    started_at: helixTime(session.start * 60_000),
    language: LANGUAGES[pool.language[session.channel]!]!.code,
    thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_${login}-{width}x{height}.jpg`,
    tag_ids: [],
    tags: tagsOf(pool, session),
    is_mature: pool.mature[session.channel] === 1,
  };
}

/**
 * Builds Helix stream records. A broadcast is listed again at every snapshot with only its
 * viewer count changed, so the fields fixed for the session (names, title, tags: a dozen hashes
 * and string joins) are built once per session and kept for the most recent `limit` sessions.
 *
 * @example
 * const records = new StreamRecords(pool, 100_000);
 * const minute = Math.floor(Date.now() / 60_000);
 * const streams = pool.liveSessions(minute).map((session) => records.recordOf(session, pool.viewersAt(session, minute)));
 */
export class StreamRecords {
  private readonly fixed = new Map<number, FixedFields>();

  constructor(
    private readonly pool: ChannelPool,
    private readonly limit: number,
  ) {}

  /**
   * The Helix record of `session` during a minute in which it has `viewers` viewers.
   *
   * @example
   * const records = new StreamRecords(pool, 100_000);
   * records.recordOf(session, pool.viewersAt(session, minute)).viewer_count;
   */
  recordOf(session: Session, viewers: number): HelixStream {
    const streamId = this.pool.streamIdOf(session);
    let fixed = this.fixed.get(streamId);
    if (!fixed) {
      fixed = fixedFieldsOf(this.pool, session);
      rememberBounded(this.fixed, streamId, fixed, this.limit);
    }
    // Listed in Helix's field order, so a served page reads like Helix's.
    return {
      id: fixed.id,
      user_id: fixed.user_id,
      user_login: fixed.user_login,
      user_name: fixed.user_name,
      game_id: fixed.game_id,
      game_name: fixed.game_name,
      type: fixed.type,
      title: fixed.title,
      viewer_count: viewers,
      started_at: fixed.started_at,
      language: fixed.language,
      thumbnail_url: fixed.thumbnail_url,
      tag_ids: [],
      tags: fixed.tags && [...fixed.tags],
      is_mature: fixed.is_mature,
    };
  }
}
