/**
 * Ingestion benchmark: one full-platform snapshot of the simulated Helix API at Twitch's real
 * rate limit (800 points a minute), through the real client and the real extract step.
 * Prints wall time against the rate-limit minimum (pages ÷ 800 per minute), 429s, rows and
 * bronze bytes.
 *
 *   npx tsx tools/bench/ingestion/crawl-bench.ts [--channels 95000] [--languages all] [--seed 1]
 */
import '../product-allocator';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { extractSnapshot, type StreamSource } from '@twitch-pipeline/pipeline';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { type CrawlResult, HelixClient } from '@twitch-pipeline/twitch';
import { countArgument, parsedOrUsage } from '../bench-args';

const RATE_LIMIT = { points: 800, windowMs: 60_000 };
// A weekday evening in Sao Paulo, close to the day's average number of live channels.
const SNAPSHOT_TIME = new Date('2026-11-25T21:00:00Z');

const USAGE = 'npx tsx tools/bench/ingestion/crawl-bench.ts [--channels 95000] [--languages all] [--seed 1]';
const { values } = parsedOrUsage(
  () =>
    parseArgs({
      options: {
        channels: { type: 'string', default: '95000' },
        languages: { type: 'string', default: 'all' },
        seed: { type: 'string', default: '1' },
      },
    }),
  USAGE,
);
const channels = countArgument(values.channels, 95_000, '--channels', USAGE);
const languages = values.languages.split(',').map((language) => language.trim());

const sim = await startHelixSimulator({
  seed: Number(values.seed),
  averageLiveChannels: channels,
  startTime: SNAPSHOT_TIME,
  rateLimit: RATE_LIMIT,
});
const directory = await mkdtemp(join(tmpdir(), 'crawl-bench-'));
try {
  const client = new HelixClient({ apiUrl: sim.apiUrl, authUrl: sim.authUrl, ...sim.credentials });
  let crawl: CrawlResult | undefined;
  const source: StreamSource = {
    crawlStreams: async (request) => {
      crawl = await client.crawlStreams(request);
      return crawl;
    },
  };
  const store = new LocalObjectStore(join(directory, 'lake'));
  const config = { languages, intervalMinutes: 30, timeZone: 'America/Sao_Paulo' };
  const live = sim.liveStreams().filter((stream) => languages.includes('all') || languages.includes(stream.language)).length;

  const startedAt = performance.now();
  const summary = await extractSnapshot({ source, store, config, collectedAt: SNAPSHOT_TIME, backfill: true });
  const totalSeconds = (performance.now() - startedAt) / 1000;

  const crawlSeconds = (crawl?.durationMs ?? 0) / 1000;
  const requests = crawl?.requests ?? summary.pages;
  const minimumSeconds = (requests / RATE_LIMIT.points) * (RATE_LIMIT.windowMs / 1000);
  const [bronze] = await store.list(summary.bronzeKey);
  const figures = {
    'simulated live channels (languages crawled)': live,
    'pages received': summary.pages,
    'Helix requests (rate-limit points spent)': requests,
    'crawl wall time (s)': crawlSeconds.toFixed(1),
    'rate-limit minimum, requests / 800 per min (s)': minimumSeconds.toFixed(1),
    'crawl time / minimum (goal <= 1.1)': (crawlSeconds / minimumSeconds).toFixed(2),
    '429 responses (client / simulator)': `${summary.rateLimited} / ${sim.stats().rateLimited}`,
    retries: summary.retries,
    'rows written to bronze': summary.written,
    quarantined: summary.quarantined,
    'bronze object bytes': bronze?.size ?? 0,
    'extract total wall time incl. Parquet (s)': totalSeconds.toFixed(1),
    'app tokens issued': sim.stats().tokensIssued,
  };
  console.log(`crawl-bench: languages=${languages.join(',')} channels=${values.channels} seed=${values.seed} node=${process.version}`);
  for (const [name, value] of Object.entries(figures)) console.log(`  ${name.padEnd(46)} ${value}`);
} finally {
  await sim.close();
  await rm(directory, { recursive: true, force: true });
}
