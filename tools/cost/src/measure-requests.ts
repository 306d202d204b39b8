import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { extractSnapshot, publishSnapshot } from '@twitch-pipeline/pipeline';
import { loadConfig } from '@twitch-pipeline/schemas';
import { LocalEventQueue, S3ObjectStore } from '@twitch-pipeline/storage';
import { startS3Emulator } from '@twitch-pipeline/storage/testing';
import { HelixClient } from '@twitch-pipeline/twitch';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGoldHandler, createSilverHandler } from '../../../apps/transform/src/index';
import { MEASURED_USAGE_FILE, readMeasuredUsage, type S3RequestUsage } from './measured-usage';

// Counts the S3 requests of one collection cycle as AWS runs it: the extract and publish steps
// and the silver and gold handlers (with the functions' listing window) on s3rver, cycle after
// cycle every 30 minutes of the simulated clock from an empty lake, and prints the mean over the
// last day's runs by kind (one of them the daily sweep), with a week of earlier gold seeded so that
// gold reads a whole trend window. Listings of a young lake are one page each; the estimate adds
// the pages a year of history adds (see monthly-cost.ts). With --write it records them in
// measured-usage.json.
const INTERVAL_MINUTES = 30;
const COUNTED = (24 * 60) / INTERVAL_MINUTES;
const CYCLES = COUNTED + 24;
const START = new Date('2026-11-28T20:00:00Z');
const write = process.argv.includes('--write');
// The handlers' log lines would bury the figures, as would the AWS SDK's notice on Node 20.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const s3 = await startS3Emulator();
await s3.createBucket('lake');
const counts = { putOrList: 0, get: 0 };
let counting = false;
s3.client.middlewareStack.add(
  (next) => async (args) => {
    const request = args.request as { method?: string };
    // S3 bills PUT, COPY, POST and LIST alike, GET and HEAD alike; DELETE is free.
    if (counting && (request.method === 'PUT' || request.method === 'POST' || isList(args.request))) counts.putOrList += 1;
    else if (counting && (request.method === 'GET' || request.method === 'HEAD')) counts.get += 1;
    return next(args);
  },
  { step: 'finalizeRequest', name: 'countRequests' },
);
const isList = (request: unknown) => {
  const { method, query } = request as { method?: string; query?: Record<string, unknown> };
  return method === 'GET' && 'list-type' in (query ?? {});
};

const env = {
  LAKE_BUCKET: 'lake',
  PIPELINE_TIMEZONE: 'America/Sao_Paulo',
  PIPELINE_LANGUAGES: 'pt,en,es',
  PIPELINE_MAX_STREAMS_PER_LANGUAGE: '100',
  PIPELINE_INTERVAL_MINUTES: String(INTERVAL_MINUTES),
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '2048',
};
const config = loadConfig(env);
const store = new S3ObjectStore(s3.client, 'lake');
const simulator = await startHelixSimulator({ seed: 7, averageLiveChannels: 2000, startTime: START });
const client = new HelixClient({ apiUrl: simulator.apiUrl, authUrl: simulator.authUrl, ...simulator.credentials });
const queueDir = await mkdtemp(join(tmpdir(), 'cost-requests-'));
try {
  const queue = new LocalEventQueue(queueDir);
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const at = new Date(START.getTime() + cycle * INTERVAL_MINUTES * 60_000);
    if (cycle === CYCLES - COUNTED) await seedTrendWindow(store);
    counting = cycle >= CYCLES - COUNTED;
    const extract = await extractSnapshot({ source: client, store, config, collectedAt: at, now: at, backfill: true });
    await publishSnapshot({ store, queue, bronzeKey: extract.bronzeKey, snapshotId: extract.snapshotId, timeZone: config.timeZone });
    const silver = await createSilverHandler({ env, s3: s3.client })({ bronzeKeys: [extract.bronzeKey], includePending: true });
    await createGoldHandler({ env, s3: s3.client })({ dates: silver.dates, collectedAt: at.toISOString() });
  }
} finally {
  await simulator.close();
  await s3.stop();
  await rm(queueDir, { recursive: true, force: true });
}

/**
 * A lake with history: copies of the first date's trend sources under the 8 days before it, so
 * that gold reads a whole trend window of earlier partitions as it does once a lake is a week old.
 */
async function seedTrendWindow(lake: S3ObjectStore): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'cost-seed-'));
  try {
    for (const table of ['categorias_diario', 'streamers_diario']) {
      const [first] = await lake.list(`gold/${table}/`);
      if (!first) throw new Error(`no gold/${table} partition to seed the trend window from`);
      const date = first.key.match(/dt=(\d{4}-\d{2}-\d{2})/)![1]!;
      const path = join(directory, `${table}.parquet`);
      await lake.getFile(first.key, path);
      for (let back = 1; back <= 8; back++) {
        const day = new Date(Date.parse(`${date}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10);
        await lake.putFile(first.key.replace(`dt=${date}`, `dt=${day}`), path);
      }
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const measured: S3RequestUsage = {
  source: `measure-requests.ts (extract, publish, silver and gold handlers on s3rver, the mean of runs ${CYCLES - COUNTED + 1}–${CYCLES} from an empty lake, every ${INTERVAL_MINUTES} min, a week of earlier gold seeded), ${availableParallelism()} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  intervalMinutes: INTERVAL_MINUTES,
  putOrListPerRun: counts.putOrList / COUNTED,
  getPerRun: counts.get / COUNTED,
};
console.log(JSON.stringify(measured, null, 2));
if (write) {
  writeFileSync(MEASURED_USAGE_FILE, `${JSON.stringify({ ...readMeasuredUsage(), s3Requests: measured }, null, 2)}\n`);
  console.log('recorded in tools/cost/measured-usage.json: rewrite the deploy guide with `npx tsx tools/cost/src/main.ts --write`');
}
