import { z } from 'zod';

const helixId = z.string().regex(/^\d+$/, 'must be a numeric id string');

/**
 * One live stream as `GET /helix/streams` returns it. Unknown extra fields are tolerated
 * (Twitch adds fields) and stripped from the typed value.
 */
export const helixStreamSchema = z.object({
  id: helixId.meta({ description: 'Stream id (changes with every broadcast)' }),
  user_id: helixId.meta({ description: 'Broadcaster user id' }),
  user_login: z.string().min(1).meta({ description: 'Broadcaster login name (lower-case, unique)' }),
  user_name: z.string().meta({ description: 'Broadcaster display name' }),
  game_id: z.string().meta({ description: 'Category id, "" when unset' }),
  game_name: z.string().meta({ description: 'Category name, "" when unset' }),
  type: z.string().meta({ description: '"live", or "" on error' }),
  title: z.string().meta({ description: 'Stream title, may be ""' }),
  tags: z
    .array(z.string())
    .nullable()
    .meta({ description: 'Custom tags of the stream' }),
  viewer_count: z.number().int().nonnegative().meta({ description: 'Concurrent viewers at collection' }),
  started_at: z.iso
    .datetime({ offset: true })
    .meta({ description: 'Broadcast start (RFC3339, UTC), kept as received', storedAs: 'string' }),
  language: z.string().meta({ description: 'Stream language (ISO 639-1, or "other")' }),
  thumbnail_url: z.string().meta({ description: 'Thumbnail URL template' }),
  tag_ids: z
    .array(z.string())
    .nullish()
    .meta({ description: 'Deprecated by Twitch: always empty or null' }),
  is_mature: z.boolean().meta({ description: 'Mature-content flag' }),
});
export type HelixStream = z.infer<typeof helixStreamSchema>;

/** A page's `pagination`: an empty or null cursor, like none, means there is no next page. */
const helixPaginationSchema = z.object({
  cursor: z
    .string()
    .nullish()
    .transform((cursor) => cursor || undefined),
});

/**
 * A `GET /helix/streams` page. Records stay unvalidated here so that one malformed
 * record is quarantined on its own instead of failing its whole page.
 */
export const helixStreamsPageSchema = z.object({
  data: z.array(z.unknown()),
  pagination: helixPaginationSchema.nullish().transform((pagination) => pagination ?? { cursor: undefined }),
});
export type HelixStreamsPage = z.infer<typeof helixStreamsPageSchema>;

/** One category as `GET /helix/games` returns it. */
const helixGameSchema = z.object({
  id: helixId,
  name: z.string().min(1),
  box_art_url: z.string(),
  igdb_id: z.string(),
});
export type HelixGame = z.infer<typeof helixGameSchema>;

export const helixGamesPageSchema = z.object({
  data: z.array(helixGameSchema),
  pagination: helixPaginationSchema.nullish().transform((pagination) => pagination ?? { cursor: undefined }),
});
export type HelixGamesPage = z.infer<typeof helixGamesPageSchema>;

/** `POST /oauth2/token` response of the client-credentials flow (there is no refresh token). */
export const oauthTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string().regex(/^bearer$/i, 'must be "bearer"'),
});
export type OAuthTokenResponse = z.infer<typeof oauthTokenResponseSchema>;

/** Error body of Helix and of the OAuth endpoint (401, 400, 429, 5xx). */
export const helixErrorSchema = z.object({
  // id.twitch.tv's token endpoint answers `{ status, message }` without it.
  error: z.string().optional().default(''),
  status: z.number().int(),
  message: z.string().optional().default(''),
});
export type HelixError = z.infer<typeof helixErrorSchema>;
