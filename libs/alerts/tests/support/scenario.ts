import type { AlertRules, RealtimeEvent } from '@twitch-pipeline/schemas';
import { eventOf } from './events';

export const T = [
  '2026-11-29T21:00:00.000Z',
  '2026-11-29T21:30:00.000Z',
  '2026-11-29T22:00:00.000Z',
  '2026-11-29T22:30:00.000Z',
  '2026-11-29T23:00:00.000Z',
] as const;

/** Rules of the scenario: two watched channels, two jump rules, one category threshold. */
export const scenarioRules: AlertRules = {
  rules: [
    { name: 'live', type: 'channel_live', channels: ['gaules', 'casimiro'] },
    { name: 'gaules-jump', type: 'viewer_jump', channels: ['gaules'], factor: 2, minIncrease: 500 },
    { name: 'any-raid', type: 'viewer_jump', factor: 5, minIncrease: 1000 },
    { name: 'jc-1k', type: 'category_audience', category: 'just chatting', threshold: 1000 },
  ],
};

const jc = { nome_categoria: 'Just Chatting', tipo_conteudo: 'Non-Game' } as const;

/**
 * Five snapshots, two queue messages each (A: gaules + casimiro, B: outsider + jc_a).
 *
 * | channel  | T0      | T1      | T2      | T3       | T4      |
 * |----------|---------|---------|---------|----------|---------|
 * | gaules   | -       | s1 500  | s1 600  | s1 2000  | s2 300  |
 * | casimiro | c0 300  | c0 350  | c0 700  | c0 800   | c0 900  |  (Just Chatting)
 * | outsider | -       | o1 50   | o1 50   | o1 5000  | -       |
 * | jc_a     | j0 100  | j0 150  | j0 250  | j0 300   | j0 50   |  (Just Chatting)
 *
 * Just Chatting totals: 400, 500, 950, 1100, 950 — it crosses 1000 at T3 only.
 * Expected alerts, six in all:
 * - live: casimiro c0 (no earlier sample), gaules s1 (no earlier sample), gaules s2 (new stream id);
 * - gaules-jump: gaules s1 (600 → 2000: ×3.3 and +1400); outsider is not in the rule;
 * - any-raid: outsider o1 (50 → 5000: ×100 and +4950); gaules' ×3.3 is below its factor 5;
 * - jc-1k: Just Chatting at T3 (950 → 1100).
 */
export function scenarioMessages(): RealtimeEvent[][] {
  const viewers = {
    gaules: [undefined, 500, 600, 2000, 300],
    casimiro: [300, 350, 700, 800, 900],
    outsider: [undefined, 50, 50, 5000, undefined],
    jc_a: [100, 150, 250, 300, 50],
  } as const;
  const messages: RealtimeEvent[][] = [];
  T.forEach((timestamp, index) => {
    const a: RealtimeEvent[] = [];
    const b: RealtimeEvent[] = [];
    const gaules = viewers.gaules[index];
    if (gaules !== undefined) {
      a.push(eventOf({ nome_streamer: 'gaules', timestamp, id_stream: index === 4 ? 's2' : 's1', espectadores: gaules }));
    }
    a.push(eventOf({ nome_streamer: 'casimiro', timestamp, id_stream: 'c0', espectadores: viewers.casimiro[index]!, ...jc }));
    const outsider = viewers.outsider[index];
    if (outsider !== undefined) {
      b.push(eventOf({ nome_streamer: 'outsider', timestamp, id_stream: 'o1', espectadores: outsider }));
    }
    b.push(eventOf({ nome_streamer: 'jc_a', timestamp, id_stream: 'j0', espectadores: viewers.jc_a[index]!, ...jc }));
    messages.push(a, b);
  });
  return messages;
}

export const EXPECTED_KEYS = [
  'category_audience|jc-1k|just chatting|2026-11-29T22:30:00.000Z',
  'channel_live|live|c0',
  'channel_live|live|s1',
  'channel_live|live|s2',
  'viewer_jump|any-raid|o1',
  'viewer_jump|gaules-jump|s1',
];

/**
 * Every message delivered twice, in an order shuffled by a seeded generator (deterministic).
 *
 * @example
 * duplicatedAndShuffled(scenarioMessages(), 7);
 */
export function duplicatedAndShuffled<T>(messages: readonly T[], seed: number): T[] {
  const deliveries = [...messages, ...messages];
  let state = seed;
  for (let index = deliveries.length - 1; index > 0; index -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const other = state % (index + 1);
    [deliveries[index], deliveries[other]] = [deliveries[other]!, deliveries[index]!];
  }
  return deliveries;
}
