/**
 * Timings of the simulator at a given scale, over real HTTP: population start-up, the first
 * page at a new virtual instant, the mean page of a full crawl, and ground truth. Prints
 * figures; asserts nothing.
 *
 *   npx tsx libs/helix-simulator/bench/simulator-timings.ts [--channels 95000] [--seed 1]
 */
import { parseArgs } from 'node:util';
import { startHelixSimulator } from '../src/index';

const { values } = parseArgs({
  options: { channels: { type: 'string', default: '95000' }, seed: { type: 'string', default: '1' } },
});
const AT = new Date('2026-11-25T21:00:00Z');

function elapsed(since: number): string {
  return `${(performance.now() - since).toFixed(1)} ms`;
}

let mark = performance.now();
const sim = await startHelixSimulator({
  seed: Number(values.seed),
  averageLiveChannels: Number(values.channels),
  startTime: AT,
  rateLimit: { points: 1_000_000, windowMs: 60_000 },
});
const startup = elapsed(mark);
try {
  const tokenResponse = await fetch(`${sim.authUrl}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: sim.credentials.clientId,
      client_secret: sim.credentials.clientSecret,
      grant_type: 'client_credentials',
    }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const headers = { 'Client-Id': sim.credentials.clientId, Authorization: `Bearer ${token}` };

  const crawl = async () => {
    let cursor: string | undefined;
    let pages = 0;
    let rows = 0;
    let firstPageMs = 0;
    const began = performance.now();
    do {
      const pageBegan = performance.now();
      const response = await fetch(`${sim.apiUrl}/streams?first=100${cursor ? `&after=${cursor}` : ''}`, { headers });
      const page = (await response.json()) as { data: unknown[]; pagination: { cursor?: string } };
      if (pages === 0) firstPageMs = performance.now() - pageBegan;
      pages += 1;
      rows += page.data.length;
      cursor = page.data.length > 0 ? page.pagination.cursor : undefined;
    } while (cursor);
    const restMs = (performance.now() - began - firstPageMs) / Math.max(1, pages - 1);
    return { pages, rows, firstPageMs, restMs };
  };

  const cold = await crawl();
  sim.clock.advance(30 * 60_000);
  const nextSlot = await crawl();
  mark = performance.now();
  const truth = sim.groundTruth({ from: new Date(AT.getTime() - 30 * 60_000), to: AT });
  const truthTime = elapsed(mark);

  console.log(`simulator-timings: channels=${values.channels} seed=${values.seed} node=${process.version}`);
  const figures: Record<string, string | number> = {
    'start-up (population drawn)': startup,
    'live streams at the first instant (rows crawled)': cold.rows,
    'pages of 100': cold.pages,
    'first page at a new stream day': `${cold.firstPageMs.toFixed(1)} ms`,
    'first page 30 min later (same stream day)': `${nextSlot.firstPageMs.toFixed(1)} ms`,
    'mean further page, HTTP round trip included': `${cold.restMs.toFixed(2)} ms`,
    'ground truth of the 30 min before the first instant': truthTime,
    'true watch hours in those 30 min': Math.round(truth.watchHours),
  };
  for (const [name, value] of Object.entries(figures)) console.log(`  ${name.padEnd(52)} ${value}`);
} finally {
  await sim.close();
}
