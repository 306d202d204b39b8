import type { ContentType } from '@twitch-pipeline/schemas';

/**
 * Curated Twitch categories that are not games. An empty IGDB id is not a reliable signal
 * (Counter-Strike and Dota 2 have none), so the classification is by category id.
 */
const NON_GAME_CATEGORIES: Readonly<Record<string, string>> = {
  '509658': 'Just Chatting',
  '509672': 'IRL',
  '26936': 'Music',
  '509660': 'Art',
  '509659': 'ASMR',
  '417752': 'Talk Shows & Podcasts',
  '518203': 'Sports',
  '509663': 'Special Events',
  '116747788': 'Pools, Hot Tubs, and Beaches',
  '509667': 'Food & Drink',
  '509670': 'Science & Technology',
  '1469308723': 'Software and Game Development',
  '509673': 'Makers & Crafting',
  '509669': 'Beauty & Body Art',
  '515214': 'Politics',
  '272263131': 'Animals, Aquariums, and Zoos',
};

/** The non-game category ids, for binding into SQL as a list parameter. */
export const NON_GAME_CATEGORY_IDS: readonly string[] = Object.keys(NON_GAME_CATEGORIES);

/**
 * `Game` or `Non-Game` for a Helix `game_id`. A stream with no category counts as a game,
 * matching the original system (its category is reported as `Unknown`).
 *
 * @example
 * contentTypeOf('509658'); // 'Non-Game' (Just Chatting)
 * contentTypeOf('32399');  // 'Game' (Counter-Strike)
 */
export function contentTypeOf(gameId: string | null | undefined): ContentType {
  return gameId && Object.hasOwn(NON_GAME_CATEGORIES, gameId) ? 'Non-Game' : 'Game';
}
