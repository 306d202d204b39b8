import '../product-allocator';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { LakeSession } from '../../../apps/cli/src/lake/lake-session';
import { categoryProfile } from '../../../apps/cli/src/profiles/category-profile';
import { channelProfile } from '../../../apps/cli/src/profiles/channel-profile';
import { savedRows } from '../../../apps/cli/src/profiles/profile-inputs';
import { median } from '../median';
import { generateProfileLake } from './profile-lake';
import { countArgument } from '../bench-args';

// Benchmark: channel and category profiles over a 30-day full-platform lake (48 snapshots a day
// × 95,000 live streams, a population of 200,000 channels), generated straight to Parquet.
// With lake-dir, the lake is generated there once and kept, and later runs reuse it.
const USAGE = 'npx tsx tools/bench/profiles/profile-30-days.ts [days] [streams-per-snapshot] [lake-dir]';
const days = countArgument(process.argv[2], 30, 'days', USAGE);
const streams = countArgument(process.argv[3], 95_000, 'streams-per-snapshot', USAGE);
const keptDirectory = process.argv[4];
const BIN = fileURLToPath(new URL('../../../apps/cli/bin/twitch-pipeline.mjs', import.meta.url));
const WARM_RUNS = 3;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

/** Wall and CPU milliseconds of one run (CPU of every DuckDB thread: a figure load does not inflate). */
async function clocked(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const [, wall] = await timed(work);
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

type Build = (session: LakeSession) => Promise<unknown>;

/** Cold: a fresh DuckDB (views created, no Parquet metadata cached); warm: the same session again. */
async function measure(dataDir: string, build: Build): Promise<{ cold: number; warm: number; warmCpu: number }> {
  const [, cold] = await timed(async () => {
    const session = await LakeSession.open(dataDir);
    try {
      return await build(session);
    } finally {
      await session.close();
    }
  });
  const session = await LakeSession.open(dataDir);
  try {
    await build(session);
    const runs: { wall: number; cpu: number }[] = [];
    for (let run = 0; run < WARM_RUNS; run++) runs.push(await clocked(() => build(session)));
    return { cold, warm: median(runs.map((run) => run.wall)), warmCpu: median(runs.map((run) => run.cpu)) };
  } finally {
    await session.close();
  }
}

function cliSeconds(dataDir: string, args: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, [BIN, ...args, '--json'], { env: { ...process.env, PIPELINE_DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - started;
}

const reuse = keptDirectory !== undefined && existsSync(join(keptDirectory, 'lake', 'gold'));
const directory = keptDirectory ?? (await mkdtemp(join(tmpdir(), 'bench-profiles-')));
try {
  let generation = 0;
  if (!reuse) {
    await mkdir(directory, { recursive: true });
    const store = new LocalObjectStore(join(directory, 'lake'));
    const [unknown, elapsed] = await timed(() =>
      generateProfileLake(store, { firstDate: '2026-11-01', days, snapshotsPerDay: 48, streamsPerSnapshot: streams, population: 200_000 }, (date) =>
        process.stderr.write(`generated ${date}\n`),
      ),
    );
    generation = elapsed;
    if (unknown.length > 0) console.log(`columns without a generator (NULL): ${unknown.join(', ')}`);
  }
  const session = await LakeSession.open(directory);
  const counts = await session.query(`SELECT
      (SELECT count(DISTINCT dt) FROM gold_streamers_diario), (SELECT count(*) FROM silver_streams), (SELECT count(*) FROM gold_streams_diario),
      (SELECT count(*) FROM gold_streamers_diario), (SELECT count(*) FROM gold_melhores_horarios)`);
  // The busiest channel, and the median one among channels live at least a third of the days.
  const channels = await session.query(`
    WITH totals AS (SELECT nome_streamer, sum(horas_assistidas) AS horas, count(*) AS dias FROM gold_streamers_diario GROUP BY 1)
    SELECT (SELECT arg_max(nome_streamer, horas) FROM totals),
           (SELECT nome_streamer FROM (
              SELECT nome_streamer, row_number() OVER (ORDER BY horas, nome_streamer) AS position, count(*) OVER () AS channels
              FROM totals WHERE dias >= (SELECT max(dias) FROM totals) / 3)
            WHERE position = channels // 2 + 1)`);
  await session.close();
  const [lakeDays, silverRows, streamsRows, streamersRows, bestTimesRows] = counts.rows[0]!.map(Number) as number[];
  const [busiest, median] = channels.rows[0]!.map(String) as [string, string];
  const count = (value: number | undefined) => (value ?? 0).toLocaleString('en-US');
  console.log(
    `lake: ${lakeDays} days, ${count(silverRows)} silver rows, gold_streams_diario ${count(streamsRows)}, gold_streamers_diario ${count(streamersRows)}, ` +
      `gold_melhores_horarios ${count(bestTimesRows)} rows; ${reuse ? `reused ${directory}` : `generated in ${seconds(generation)}`}`,
  );
  const subjects: [string, Build, string[]][] = [
    [`channel ${busiest} (busiest)`, (s) => channelProfile(s, busiest, {}), ['channel', busiest]],
    [`channel ${median} (median)`, (s) => channelProfile(s, median, {}), ['channel', median]],
    ['category Just Chatting', (s) => categoryProfile(s, 'Just Chatting', {}), ['category', 'Just Chatting']],
    ['category Category 500', (s) => categoryProfile(s, 'Category 500', {}), ['category', 'Category 500']],
  ];
  for (const [label, build, args] of subjects) {
    const { cold, warm, warmCpu } = await measure(directory, build);
    const cli = cliSeconds(directory, args);
    console.log(
      `${label.padEnd(36)} cold ${seconds(cold)} · warm ${seconds(warm)} (${seconds(warmCpu)} CPU, median of ${WARM_RUNS}) · CLI end to end ${seconds(cli)}   (goal ≤ 2 s)`,
    );
  }
  const breakdown = await LakeSession.open(directory);
  try {
    const queries: [string, Record<string, string>][] = [
      ...['channel_summary', 'channel_categories', 'channel_heatmap', 'channel_trend', 'channel_languages'].map((name): [string, Record<string, string>] => [name, { login: busiest }]),
      ['channel_rank', { login: busiest, language: String((await savedRows(breakdown, 'channel_languages', { login: busiest }, {}))[0]?.idioma) }],
      ...['category_summary', 'category_hours', 'category_top_channels', 'category_languages', 'category_trend'].map((name): [string, Record<string, string>] => [name, { category: 'Just Chatting' }]),
    ];
    const parts: string[] = [];
    for (const [name, given] of queries) {
      await savedRows(breakdown, name, given, {});
      const { wall, cpu } = await clocked(() => savedRows(breakdown, name, given, {}));
      parts.push(`${name} ${seconds(wall)} (${seconds(cpu)} CPU)`);
    }
    console.log(`warm, per saved query (busiest channel, Just Chatting):\n  ${parts.join('\n  ')}`);
  } finally {
    await breakdown.close();
  }
} finally {
  if (keptDirectory === undefined) await rm(directory, { recursive: true, force: true });
}
