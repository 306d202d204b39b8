import type { HelixGame } from '@twitch-pipeline/schemas';

/** A Twitch category with its real id and name and its share of simulated sessions. */
export interface SimulatedCategory {
  readonly id: string;
  readonly name: string;
  /** IGDB id; empty for non-game categories and for a few games, as on Twitch. */
  readonly igdbId: string;
  /** Relative share of sessions streaming this category. */
  readonly weight: number;
  readonly isGame: boolean;
}

const nonGame = (id: string, name: string, weight: number): SimulatedCategory => ({
  id,
  name,
  igdbId: '',
  weight,
  isGame: false,
});
const game = (id: string, name: string, igdbId: string, weight: number): SimulatedCategory => ({
  id,
  name,
  igdbId,
  weight,
  isGame: true,
});

/**
 * Real Twitch categories. Weights follow the usual shape of the directory: Just Chatting far
 * ahead, a handful of large games, a long tail. Counter-Strike and Dota 2 have no IGDB id on
 * Twitch, which is why an empty IGDB id cannot tell games from non-games.
 */
export const CATEGORIES: readonly SimulatedCategory[] = [
  nonGame('509658', 'Just Chatting', 160),
  nonGame('26936', 'Music', 18),
  nonGame('509660', 'Art', 12),
  nonGame('509659', 'ASMR', 6),
  nonGame('509672', 'IRL', 8),
  nonGame('417752', 'Talk Shows & Podcasts', 6),
  nonGame('518203', 'Sports', 7),
  nonGame('509663', 'Special Events', 2),
  nonGame('509670', 'Science & Technology', 3),
  nonGame('509667', 'Food & Drink', 3),
  nonGame('1469308723', 'Software and Game Development', 4),
  nonGame('509673', 'Makers & Crafting', 2),
  nonGame('116747788', 'Pools, Hot Tubs, and Beaches', 2),
  game('32982', 'Grand Theft Auto V', '1020', 45),
  game('21779', 'League of Legends', '115', 40),
  game('516575', 'VALORANT', '126459', 35),
  game('32399', 'Counter-Strike', '', 35),
  game('33214', 'Fortnite', '1905', 32),
  game('27471', 'Minecraft', '121', 30),
  game('29595', 'Dota 2', '', 18),
  game('511224', 'Apex Legends', '114795', 16),
  game('18122', 'World of Warcraft', '123', 14),
  game('512710', 'Call of Duty: Warzone', '131800', 12),
  game('491931', 'Escape from Tarkov', '19560', 9),
  game('515025', 'Overwatch 2', '204350', 9),
  game('493057', 'PUBG: BATTLEGROUNDS', '27789', 9),
  game('263490', 'Rust', '3277', 9),
  game('491487', 'Dead by Daylight', '18866', 10),
  game('460630', "Tom Clancy's Rainbow Six Siege", '7360', 8),
  game('138585', 'Hearthstone', '1279', 6),
  game('30921', 'Rocket League', '11198', 6),
  game('513181', 'Genshin Impact', '119277', 7),
  game('512953', 'Elden Ring', '119133', 7),
  game('497057', 'Destiny 2', '25657', 6),
  game('490100', 'Lost Ark', '26950', 4),
  game('515024', 'Diablo IV', '125165', 5),
  game('513143', 'Teamfight Tactics', '120176', 5),
  game('29307', 'Path of Exile', '1911', 5),
  game('65632', 'DayZ', '1954', 4),
  game('27546', 'World of Tanks', '1012', 4),
  game('490377', 'Sea of Thieves', '11137', 3),
  game('2748', 'Magic: The Gathering', '2748', 3),
  game('743', 'Chess', '1643', 3),
  game('510218', 'Among Us', '111469', 3),
  game('512980', 'Fall Guys', '114776', 3),
  game('518184', 'Phasmophobia', '135400', 3),
  game('31376', 'Terraria', '1879', 3),
  game('490744', 'Stardew Valley', '17000', 3),
  game('23020', 'Roblox', '1557', 8),
  game('29452', 'Virtual Casino', '', 5),
  game('498566', 'Slots', '', 6),
  game('27284', 'Retro', '', 3),
  game('66082', 'Games + Demos', '', 2),
];

/**
 * The `/helix/games` record of a category.
 *
 * @example
 * toHelixGame(CATEGORIES[0]!); // { id: '509658', name: 'Just Chatting', box_art_url: '…', igdb_id: '' }
 */
export function toHelixGame(category: SimulatedCategory): HelixGame {
  return {
    id: category.id,
    name: category.name,
    box_art_url: `https://static-cdn.jtvnw.net/ttv-boxart/${category.id}-{width}x{height}.jpg`,
    igdb_id: category.igdbId,
  };
}
