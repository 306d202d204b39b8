import '../product-allocator';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runSilver } from '@twitch-pipeline/pipeline';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { generateBronzeDay } from './bronze-day';
import { goldDigest } from './gold-digest';
import { countArgument, exitWithUsage } from '../bench-args';
import { runGoldOrThrow } from '../gold-or-throw';

// Benchmark: the gold step alone, repeated on one lake whose silver is built once, so two
// versions of gold are compared on the same silver objects (wall and CPU seconds per run, and
// the gold digest). The lake directory is kept between invocations: the first one generates the
// day and runs silver, later ones reuse it. To time another version of the models on the same
// silver, point FEATURES_SQL_DIR at a folder holding its models/, macros/ and queries/.
// The engine's memory limit defaults to the 2GB the other benchmarks use; a larger one shows how
// much of gold's time is spilling.
const USAGE = 'npx tsx tools/bench/transform/gold-only.ts <lake-directory> [snapshots] [streams] [runs] [memory-limit]';
const [lake, snapshotsArg, streamsArg, runsArg, memoryLimitArg] = process.argv.slice(2);
if (!lake) exitWithUsage(USAGE, 'missing <lake-directory>');
const snapshots = countArgument(snapshotsArg, 48, 'snapshots', USAGE);
const streams = countArgument(streamsArg, 95_000, 'streams', USAGE);
const runs = countArgument(runsArg, 3, 'runs', USAGE);
const store = new LocalObjectStore(lake);
const engineOptions = { memoryLimit: memoryLimitArg ?? '2GB' };

const silverDates = async () => (await readdir(join(lake, 'silver', 'streams')).catch(() => [])).map((name) => name.replace('dt=', ''));
if ((await silverDates()).length === 0) {
  await generateBronzeDay(store, { date: '2026-11-29', snapshots, streamsPerSnapshot: streams });
  await runSilver({ store, timeZone: 'America/Sao_Paulo', engineOptions });
}
const dates = await silverDates();
for (let run = 1; run <= runs; run += 1) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await runGoldOrThrow({ store, dates, engineOptions });
  const used = process.cpuUsage(cpu);
  const wall = (performance.now() - started) / 1000;
  console.log(`gold run ${run}: ${wall.toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU (dates ${dates.join(', ')})`);
}
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
console.log(`gold digest: ${await goldDigest(lake)}`);
