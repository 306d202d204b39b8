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
import { generateProfileLake } from './profile-lake';

// Benchmark: channel and category profiles over a 30-day full-platform lake (48 snapshots a day
// × 95,000 live streams, a population of 200,000 channels), generated straight to Parquet.
// Usage: npx tsx tools/bench/profiles/profile-30-days.ts [days] [streams-per-snapshot] [lake-dir]
// With lake-dir, the lake is generated there once and kept, and later runs reuse it.
const days = Number(process.argv[2] ?? 30);
const streams = Number(process.argv[3] ?? 95_000);
const keptDirectory = process.argv[4];
const BIN = fileURLToPath(new URL('../../../apps/cli/bin/twitch-pipeline.mjs', import.meta.url));
const WARM_RUNS = 3;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

type Build = (session: LakeSession) => Promise<unknown>;

/** Cold: a fresh DuckDB (views created, no Parquet metadata cached); warm: the same session again. */
async function measure(dataDir: string, build: Build): Promise<{ cold: number; warm: number }> {
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
    const warm: number[] = [];
    for (let run = 0; run < WARM_RUNS; run++) warm.push((await timed(() => build(session)))[1]);
    return { cold, warm: median(warm) };
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
      (SELECT count(DISTINCT dt) FROM gold_streamers_diario), (SELECT count(*) FROM silver_streams), (SELECT count(*) FROM gold_streams_diario), (SELECT count(*) FROM gold_streamers_diario),
      (SELECT count(*) FROM gold_melhores_horarios),
      (SELECT nome_streamer FROM gold_streamers_diario GROUP BY 1 ORDER BY sum(horas_assistidas) DESC LIMIT 1)`);
  await session.close();
  const [lakeDays, silverRows, streamsRows, streamersRows, bestTimesRows, channel] = counts.rows[0]! as [number, number, number, number, number, string];
  console.log(`lake: ${lakeDays} days, ${silverRows.toLocaleString('en-US')} silver rows, gold_streams_diario ${streamsRows.toLocaleString('en-US')}, gold_streamers_diario ${streamersRows.toLocaleString('en-US')}, gold_melhores_horarios ${bestTimesRows.toLocaleString('en-US')} rows; ${reuse ? `reused ${directory}` : `generated in ${seconds(generation)}`}`);
  const subjects: [string, Build, string[]][] = [
    [`channel ${channel}`, (s) => channelProfile(s, channel, {}), ['channel', channel]],
    ['category Just Chatting', (s) => categoryProfile(s, 'Just Chatting', {}), ['category', 'Just Chatting']],
    ['category Category 500', (s) => categoryProfile(s, 'Category 500', {}), ['category', 'Category 500']],
  ];
  for (const [label, build, args] of subjects) {
    const { cold, warm } = await measure(directory, build);
    const cli = cliSeconds(directory, args);
    console.log(`${label.padEnd(28)} cold ${seconds(cold)} · warm ${seconds(warm)} (median of ${WARM_RUNS}) · CLI end to end ${seconds(cli)}   (goal ≤ 2 s)`);
  }
  const breakdown = await LakeSession.open(directory);
  try {
    const parts: string[] = [];
    for (const name of ['channel_summary', 'channel_categories', 'channel_heatmap', 'channel_trend', 'channel_rank']) {
      await savedRows(breakdown, name, { login: channel }, {});
      parts.push(`${name} ${seconds((await timed(() => savedRows(breakdown, name, { login: channel }, {})))[1])}`);
    }
    console.log(`channel profile, warm, per saved query: ${parts.join(' · ')}`);
  } finally {
    await breakdown.close();
  }
} finally {
  if (keptDirectory === undefined) await rm(directory, { recursive: true, force: true });
}
