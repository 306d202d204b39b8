import '../product-allocator';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { median } from '../median';
import { type CycleResult, runBenchProcess } from './bench-process';
import { generateBronzeDay } from './bronze-day';
import { goldDigest } from './gold-digest';
import type { CopyFloor } from './output-floor';
import { countArgument } from '../bench-args';

// Benchmark: silver + gold of one simulated full-platform day against the I/O floor, measured in
// one run on the same bronze. The floor is a plain DuckDB COPY of every bronze object into one
// snappy Parquet file (everything read once, written once). Silver and gold are the product's
// steps (run-cycle.ts). Each runs in a fresh process of its own (copy-process.ts), so that all
// start alike and peak RSS and CPU cover one of them alone. The steps run several rounds, each on
// a fresh copy of the bronze, and each round's ratio sets them against the mean of the floors
// taken just before and just after them; the host's speed drifts, and the median round is the
// figure. The floor is also taken on an engine that keeps freed blocks (`reuseFreedBlocks`), as
// gold's does, and the ratio printed against it too. Last, the floor and the steps each run once
// more after the same COPY in their process (warm: the allocator may hold the pages they need),
// and the ratio of the two is printed. Then each layer's objects are copied once as
// they are, one COPY per object on single-threaded engines side by side as silver runs its
// objects (`output-floor.ts`): the bronze objects are silver with no model, and the silver and
// gold objects the write floor of the outputs themselves. Bronze copied plus gold copied is about
// the I/O the two steps cannot avoid; what the steps take beyond it is what their models cost. Each
// row prints its system CPU and minor page faults (pages of 4 KiB touched for the first time, or
// again after an allocator handed them back), and a last line the system CPU per fault: where
// faults are dear, the plain floor, which faults most for its work, is slow and the ratio low.
// The gold digest lets two versions of the steps be compared on the same input. The plain floor
// runs under DuckDB's own allocator settings, all else under the product's.
const USAGE = 'npx tsx tools/bench/transform/floor-ratio.ts [snapshots] [streams-per-snapshot] [rounds]';
const snapshots = countArgument(process.argv[2], 48, 'snapshots', USAGE);
const streams = countArgument(process.argv[3], 95_000, 'streams-per-snapshot', USAGE);
const rounds = countArgument(process.argv[4], 3, 'rounds', USAGE);
const directory = await mkdtemp(join(tmpdir(), 'bench-floor-'));

const mean = (a: number, b: number) => (a + b) / 2;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

try {
  const source = join(directory, 'source');
  const generationStarted = performance.now();
  await generateBronzeDay(new LocalObjectStore(source), { date: '2026-11-29', snapshots, streamsPerSnapshot: streams });
  console.log(`bronze: ${snapshots} snapshots × ${streams} streams generated in ${((performance.now() - generationStarted) / 1000).toFixed(1)} s`);

  const floorFile = join(directory, 'floor.parquet');
  // The plain floor is DuckDB as it comes: an empty variable keeps its own allocator settings,
  // which took the COPY 0.4-0.7 s less than the product's (docs/benchmarks.md).
  const duckdbOwn = { ...process.env, DUCKDB_JE_MALLOC_CONF: '' };
  const floor = () => ({
    plain: runBenchProcess<CopyFloor>('copy-process.ts', ['floor', source, 'plain', floorFile], duckdbOwn),
    reusing: runBenchProcess<CopyFloor>('copy-process.ts', ['floor', source, 'reusing', floorFile]),
  });
  const warm = () => runBenchProcess<CopyFloor>('copy-process.ts', ['floor', source, 'warm', floorFile]);
  const warmFloors = [warm()];
  const floors = [floor()];
  const cycles: CycleResult[] = [];
  const lake = join(directory, 'lake');
  const freshLake = async () => {
    await rm(lake, { recursive: true, force: true });
    await cp(join(source, 'raw'), join(lake, 'raw'), { recursive: true });
    return lake;
  };
  for (let round = 0; round < rounds; round++) {
    cycles.push(runBenchProcess<CycleResult>('run-cycle.ts', [await freshLake()]));
    floors.push(floor());
  }
  const warmCycle = runBenchProcess<CycleResult>('run-cycle.ts', [await freshLake(), '2GB', 'warm']);
  warmFloors.push(warm());

  const row = (name: string, wall: number, cpu: number, system: number, faults: number, notes: string) =>
    console.log(`${name.padEnd(18)}${wall.toFixed(2).padStart(9)}${cpu.toFixed(2).padStart(9)}${system.toFixed(2).padStart(8)}${(faults / 1000).toFixed(0).padStart(10)}  ${notes}`);
  const copyRow = (name: string, copy: CopyFloor, notes: string) => row(name, copy.seconds, copy.cpuSeconds, copy.systemSeconds, copy.minorFaults, notes);
  console.log(`\n${'step'.padEnd(18)}${'wall s'.padStart(9)}${'CPU s'.padStart(9)}${'sys s'.padStart(8)}${'faults k'.padStart(10)}  notes`);
  const ratios: number[] = [];
  const reusingRatios: number[] = [];
  floors.forEach(({ plain, reusing }, index) => {
    copyRow(`I/O floor ${index + 1}`, plain, `COPY of the bronze, ${plain.megabytes.toFixed(0)} MB written`);
    copyRow('  reusing blocks', reusing, 'the same COPY on an engine that keeps freed blocks, as gold’s does');
    const cycle = cycles[index];
    if (!cycle) return;
    const floorSeconds = mean(plain.seconds, floors[index + 1]!.plain.seconds);
    const reusingSeconds = mean(reusing.seconds, floors[index + 1]!.reusing.seconds);
    ratios.push(cycle.totalSeconds / floorSeconds);
    reusingRatios.push(cycle.totalSeconds / reusingSeconds);
    const goldRows = Object.values(cycle.goldRows).reduce((a, b) => a + b, 0);
    row(`silver, round ${index + 1}`, cycle.silverSeconds, cycle.silverCpuSeconds, cycle.silverSystemSeconds, cycle.silverMinorFaults, `${cycle.objects} objects, ${cycle.rowsIn} rows in, ${cycle.rowsOut} out, ${cycle.quarantined} quarantined`);
    row('gold', cycle.goldSeconds, cycle.totalCpuSeconds - cycle.silverCpuSeconds, cycle.totalSystemSeconds - cycle.silverSystemSeconds, cycle.totalMinorFaults - cycle.silverMinorFaults, `${goldRows} rows in ${Object.keys(cycle.goldRows).length} tables`);
    row('silver + gold', cycle.totalSeconds, cycle.totalCpuSeconds, cycle.totalSystemSeconds, cycle.totalMinorFaults, `ratio ${ratios.at(-1)!.toFixed(2)} (floor ${floorSeconds.toFixed(2)} s), ${reusingRatios.at(-1)!.toFixed(2)} against the floor reusing blocks; peak RSS ${cycle.peakRssMb} MB (goal ≤ 3072)`);
  });

  for (const [index, copy] of warmFloors.entries()) {
    copyRow(`warm floor ${index + 1}`, copy, `the COPY timed again in the process that ran it (${index ? 'after' : 'before'} the rounds)`);
  }
  row('steps, warm', warmCycle.totalSeconds, warmCycle.totalCpuSeconds, warmCycle.totalSystemSeconds, warmCycle.totalMinorFaults, `silver + gold after the same COPY in their process (silver ${warmCycle.silverSeconds.toFixed(2)} s, gold ${warmCycle.goldSeconds.toFixed(2)} s)`);
  const layers = {
    bronze: runBenchProcess<CopyFloor>('copy-process.ts', ['layer', lake, 'raw']),
    silver: runBenchProcess<CopyFloor>('copy-process.ts', ['layer', lake, 'silver']),
    gold: runBenchProcess<CopyFloor>('copy-process.ts', ['layer', lake, 'gold']),
  };
  copyRow('bronze copied', layers.bronze, `${layers.bronze.objects} bronze objects copied one by one: silver with no model`);
  copyRow('silver copied', layers.silver, `${layers.silver.objects} silver objects copied as they are, ${layers.silver.megabytes.toFixed(0)} MB`);
  copyRow('gold copied', layers.gold, `${layers.gold.objects} gold objects copied as they are, ${layers.gold.megabytes.toFixed(0)} MB`);

  const floorSeconds = median(floors.map(({ plain }) => plain.seconds));
  const steps = median(cycles.map((cycle) => cycle.totalSeconds));
  const silver = median(cycles.map((cycle) => cycle.silverSeconds));
  const gold = median(cycles.map((cycle) => cycle.goldSeconds));
  console.log(`\nratio (silver + gold) / floor, median of ${rounds} rounds: ${median(ratios).toFixed(2)} (goal ≤ 2.0; rounds ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`);
  console.log(`ratio against the floor reusing blocks, median: ${median(reusingRatios).toFixed(2)} (rounds ${reusingRatios.map((ratio) => ratio.toFixed(2)).join(', ')})`);
  const warmSeconds = mean(warmFloors[0]!.seconds, warmFloors[1]!.seconds);
  console.log(`ratio with both warm: ${(warmCycle.totalSeconds / warmSeconds).toFixed(2)} (the warm steps over the mean warm floor, ${warmSeconds.toFixed(2)} s)`);
  console.log(`medians: floor ${floorSeconds.toFixed(2)} s, silver ${silver.toFixed(2)} s, gold ${gold.toFixed(2)} s, silver + gold ${steps.toFixed(2)} s`);
  const outputsSeconds = layers.silver.seconds + layers.gold.seconds;
  const unavoidable = layers.bronze.seconds + layers.gold.seconds;
  console.log(`outputs rewritten / floor: ${(outputsSeconds / floorSeconds).toFixed(2)} (silver and gold copied, ${outputsSeconds.toFixed(2)} s: the write floor of the lake's layout)`);
  console.log(`silver / bronze copied: ${(silver / layers.bronze.seconds).toFixed(2)} (silver's model over reading and writing its objects)`);
  console.log(`gold / gold copied: ${(gold / layers.gold.seconds).toFixed(2)}`);
  console.log(
    `steps with no model (bronze copied + gold copied) / floor: ${(unavoidable / floorSeconds).toFixed(2)}; the goal leaves the models ${(2 * floorSeconds - unavoidable).toFixed(2)} s, they took ${(steps - unavoidable).toFixed(2)} s`,
  );
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  const perFault = (systemSeconds: number[], faults: number[]) => ((sum(systemSeconds) * 1e6) / Math.max(sum(faults), 1)).toFixed(1);
  const plainFloors = floors.map(({ plain }) => plain);
  const floorsPerFault = perFault(plainFloors.map((copy) => copy.systemSeconds), plainFloors.map((copy) => copy.minorFaults));
  const stepsPerFault = perFault(cycles.map((cycle) => cycle.totalSystemSeconds), cycles.map((cycle) => cycle.totalMinorFaults));
  console.log(`system CPU per page fault (at most what one costs: the kernel's other work counts too): ${floorsPerFault} µs in the plain floors, ${stepsPerFault} µs in the steps`);
  console.log(`allocator: DuckDB's own for the plain floor; DUCKDB_JE_MALLOC_CONF=${JSON.stringify(process.env.DUCKDB_JE_MALLOC_CONF)} (the product's) for the rest`);
  console.log(`gold digest: ${await goldDigest(lake)}`);
} finally {
  await rm(directory, { recursive: true, force: true });
}
