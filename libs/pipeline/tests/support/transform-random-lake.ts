import { mulberry32 } from '@twitch-pipeline/helix-simulator';
import { NON_GAME_CATEGORY_IDS } from '@twitch-pipeline/features';
import { type LooseBronzeRow, bronzeRow } from './transform-lake';

const CATEGORIES: [string, string][] = [
  ['32399', 'Counter-Strike'],
  ['29595', 'Dota 2'],
  ['21779', 'League of Legends'],
  ['', ''],
  ...NON_GAME_CATEGORY_IDS.slice(0, 4).map((id): [string, string] => [id, `Categoria ${id}`]),
];
const TITLES = ['Olá mundo 🎮', '日本語の配信', 'ранкед до утра', 'مرحبا', 'ção ção ção', '', 'x'.repeat(140), 'emoji 👩‍👩‍👧‍👦 família'];
const LANGUAGES = ['pt', 'en', 'es', 'ja', 'other'];

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Random snapshots over a few hours that cross local midnight: channels with broadcasts that
 * start and end (so the same stream repeats across snapshots), restart with a new id, or are
 * seen once; late crawls, streams missing from a snapshot, zero-viewer streams, unicode titles,
 * a stream now and then in another category (so it has several rows in a local hour), a channel
 * now and then with a second stream id in one snapshot, an occasional id listed twice in one
 * snapshot and a few untrusted rows.
 */
export function randomSnapshots(seed: number, firstCollection: string, count: number): { collectedAt: string; rows: LooseBronzeRow[] }[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const start = Date.parse(firstCollection);
  // Some broadcasts are shorter than the interval (seen once or never); some channels restart
  // with a new stream id a little after their first broadcast ends.
  const length = () => (random() < 0.25 ? 5 + Math.floor(random() * 25) : 30 + Math.floor(random() * 8 * 60)) * 60_000;
  const channels = Array.from({ length: 12 }, (_, index) => {
    const firstStart = start - Math.floor(random() * 6 * 60) * 60_000 + Math.floor(random() * count * 30) * 60_000;
    const firstEnd = firstStart + length();
    const secondStart = firstEnd + (5 + Math.floor(random() * 60)) * 60_000;
    const broadcasts = [{ id: 9000 + index * 10, start: firstStart, end: firstEnd }];
    if (random() < 0.4) broadcasts.push({ id: 9001 + index * 10, start: secondStart, end: secondStart + length() });
    return { index, login: `Canal_${index}`, category: pick(CATEGORIES), language: pick(LANGUAGES), title: pick(TITLES), broadcasts };
  });
  return Array.from({ length: count }, (_, snapshot) => {
    // A late crawl now and then: instants off the half hour cut segments inside quarter hours.
    const collected = start + snapshot * 30 * 60_000 + (random() < 0.3 ? Math.floor(random() * 600) * 1000 : 0);
    const collectedAt = iso(collected);
    const rows: LooseBronzeRow[] = [];
    for (const channel of channels) {
      const broadcast = channel.broadcasts.find((candidate) => candidate.start <= collected && collected <= candidate.end);
      // List drift: a live stream is now and then missing from a snapshot.
      if (!broadcast || random() < 0.05) continue;
      const category = random() < 0.1 ? pick(CATEGORIES) : channel.category;
      const row = bronzeRow({
        collected_at: collectedAt,
        id: String(broadcast.id),
        user_id: String(100 + channel.index),
        user_login: channel.login,
        game_id: category[0],
        game_name: category[1],
        title: random() < 0.1 ? null : channel.title,
        language: channel.language,
        viewer_count: random() < 0.2 ? 0 : Math.floor(random() ** 3 * 5000),
        started_at: iso(broadcast.start),
      });
      // A refused copy listed before the sound one: silver keeps the sound copy, not a duplicate.
      if (random() < 0.03) rows.push({ ...row, viewer_count: -1 });
      rows.push(row);
      if (random() < 0.08) rows.push({ ...row, viewer_count: (row.viewer_count ?? 0) + 1 });
      if (random() < 0.04) rows.push({ ...row, id: String(broadcast.id + 5) });
    }
    if (random() < 0.5) rows.push(bronzeRow({ collected_at: collectedAt, id: '77', viewer_count: -3 }));
    if (random() < 0.3) rows.push(bronzeRow({ collected_at: collectedAt, id: '78', started_at: iso(collected + 60 * 60_000) }));
    if (random() < 0.3) rows.push(bronzeRow({ collected_at: collectedAt, id: '79', started_at: 'sometime' }));
    if (random() < 0.3) rows.push(bronzeRow({ collected_at: collectedAt, id: '80', user_login: null }));
    return { collectedAt, rows };
  });
}
