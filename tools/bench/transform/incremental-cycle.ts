import '../product-allocator';
import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseLakeKey, quarantineKey, silverKey, snapshotIdFor } from '@twitch-pipeline/schemas';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { median } from '../median';
import { type CycleResult, runBenchProcess } from './bench-process';
import { generateBronzeDay } from './bronze-day';
import { countArgument } from '../bench-args';

// Benchmark: one incremental cycle (one new snapshot → silver, then gold of its date) with 1 day
// and with 30 days of history already in the lake. History days are hard links to the generated
// day's bronze and silver objects under other dates, so they cost no disk but are listed like
// real ones.
const USAGE = 'npx tsx tools/bench/transform/incremental-cycle.ts [snapshots] [streams] [runs]';
const snapshots = countArgument(process.argv[2], 48, 'snapshots', USAGE);
const streams = countArgument(process.argv[3], 95_000, 'streams', USAGE);
const runs = countArgument(process.argv[4], 3, 'runs', USAGE);
const DATE = '2026-11-29';

function cycle(lake: string): CycleResult {
  return runBenchProcess<CycleResult>('run-cycle.ts', [lake]);
}

const directory = await mkdtemp(join(tmpdir(), 'bench-incremental-'));
try {
  const lake = join(directory, 'lake');
  const store = new LocalObjectStore(lake);
  const bronze = await generateBronzeDay(store, { date: DATE, snapshots, streamsPerSnapshot: streams });
  const initial = cycle(lake);
  console.log(`initial day: ${initial.objects} objects in ${initial.totalSeconds.toFixed(2)} s`);
  const newest = parseLakeKey(bronze.at(-1)!)!;

  let historyDays = 0;
  const addHistory = async (days: number) => {
    for (; historyDays < days; historyDays++) {
      const shift = (historyDays + 1) * 86_400_000;
      for (const key of bronze) {
        const { snapshotId } = parseLakeKey(key)!;
        const collected = Date.parse(snapshotId.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
        const historicId = snapshotIdFor(new Date(collected - shift));
        const historicDate = new Date(Date.parse(`${DATE}T00:00:00Z`) - shift).toISOString().slice(0, 10);
        for (const [from, to] of [
          [key, key.replace(`dt=${DATE}/${snapshotId}`, `dt=${historicDate}/${historicId}`)],
          [silverKey(DATE, snapshotId), silverKey(historicDate, historicId)],
        ] as const) {
          await mkdir(dirname(store.pathOf(to)), { recursive: true });
          await link(store.pathOf(from), store.pathOf(to));
        }
      }
    }
  };
  const measure = (label: string) => {
    const results: CycleResult[] = [];
    for (let run = 0; run < runs; run++) {
      // The newest snapshot becomes new again: its silver outputs are removed before each cycle.
      execFileSync('rm', ['-f', store.pathOf(silverKey(newest.dt, newest.snapshotId)), store.pathOf(quarantineKey(newest.dt, newest.snapshotId, 'silver'))]);
      results.push(cycle(lake));
    }
    const total = median(results.map((r) => r.totalSeconds));
    console.log(
      `${label}: cycle ${total.toFixed(2)} s (silver ${median(results.map((r) => r.silverSeconds)).toFixed(2)} s, gold ${median(results.map((r) => r.goldSeconds)).toFixed(2)} s, cpu ${median(results.map((r) => r.totalCpuSeconds)).toFixed(2)} s, objects ${results[0]!.objects}, peak RSS ${Math.max(...results.map((r) => r.peakRssMb))} MB; median of ${runs})`,
    );
    return { wall: total, cpu: median(results.map((r) => r.totalCpuSeconds)) };
  };

  await addHistory(1);
  const oneDay = measure('1 day of history  ');
  await addHistory(30);
  const thirtyDays = measure('30 days of history');
  console.log(
    `ratio 30 days / 1 day: ${(thirtyDays.wall / oneDay.wall).toFixed(2)} wall, ${(thirtyDays.cpu / oneDay.cpu).toFixed(2)} CPU (goal ≤ 1.3)`,
  );
} finally {
  await rm(directory, { recursive: true, force: true });
}
