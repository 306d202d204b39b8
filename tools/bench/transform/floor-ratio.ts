import '../product-allocator';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine, sqlString } from '@twitch-pipeline/duckdb';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { generateBronzeDay } from './bronze-day';
import { goldDigest } from './gold-digest';
import { copyObjects, layerObjects } from './output-floor';

// Benchmark: silver + gold of one simulated full-platform day against the I/O floor, measured in
// one run on the same bronze. The floor is a plain DuckDB COPY of every bronze object into one
// snappy Parquet file (everything read once, written once), taken before and after the steps.
// Silver and gold are the product's steps, run in a child process so that peak RSS and CPU cover
// them alone. Then each layer's objects are copied once as they are, one COPY per object on
// single-threaded engines side by side as silver runs its objects (`output-floor.ts`): the bronze
// objects are silver with no model, and the silver and gold objects the write floor of the outputs
// themselves (one object per snapshot, eight gold tables; gold files are copied by one thread
// each). Bronze copied one by one plus gold copied is about the I/O the two steps cannot avoid;
// what the steps take beyond it is what their models cost, set against what the goal leaves them.
// The gold digest lets two versions of the steps be compared on the same input. Gold's engine
// keeps freed blocks for reuse (`reuseFreedBlocks`); the floor is also taken on such an engine,
// which spares the COPY the same page faults, and the ratio printed against it too. The floor,
// the copies and the steps all run under the product's allocator settings (product-allocator.ts).
// Each row also prints its system CPU and minor page faults: the plain floor faults in a different
// number of pages from run to run (in some runs twice as many as the engine reusing blocks, in
// others as many), and its time follows them, which is most of what moves the ratio.
// Usage: npx tsx tools/bench/transform/floor-ratio.ts [snapshots] [streams-per-snapshot]
const snapshots = Number(process.argv[2] ?? 48);
const streams = Number(process.argv[3] ?? 95_000);
const directory = await mkdtemp(join(tmpdir(), 'bench-floor-'));
const seconds = (from: number) => (performance.now() - from) / 1000;

try {
  const lake = join(directory, 'lake');
  const store = new LocalObjectStore(lake);
  const generationStarted = performance.now();
  const keys = await generateBronzeDay(store, { date: '2026-11-29', snapshots, streamsPerSnapshot: streams });
  console.log(`bronze: ${snapshots} snapshots × ${streams} streams generated in ${seconds(generationStarted).toFixed(1)} s`);

  const floorPath = join(directory, 'floor.parquet');
  const list = keys.map((key) => sqlString(store.pathOf(key))).join(', ');
  const measureFloor = async (reuseFreedBlocks = false) => {
    const cpu = process.cpuUsage();
    const faults = process.resourceUsage().minorPageFault;
    const started = performance.now();
    const engine = await DuckDbEngine.open({ reuseFreedBlocks });
    try {
      await engine.copyToParquet(`SELECT * FROM read_parquet([${list}])`, undefined, floorPath);
    } finally {
      await engine.close();
    }
    const wall = seconds(started);
    const used = process.cpuUsage(cpu);
    const megabytes = (await stat(floorPath)).size / 1e6;
    await rm(floorPath);
    return { wall, cpu: (used.user + used.system) / 1e6, system: used.system / 1e6, faults: process.resourceUsage().minorPageFault - faults, megabytes };
  };
  const floorBefore = await measureFloor();
  const reusingBefore = await measureFloor(true);

  const output = execFileSync('npx', ['tsx', join(import.meta.dirname, 'run-cycle.ts'), lake], { encoding: 'utf8' });
  const cycle = JSON.parse(output.trim().split('\n').at(-1)!);
  const bronzeCopied = await copyObjects(await layerObjects(lake, 'raw'));
  const silverCopied = await copyObjects(await layerObjects(lake, 'silver'));
  const goldCopied = await copyObjects(await layerObjects(lake, 'gold'));
  // The host's speed can drift during a run: the floor is taken before and after the steps, and
  // the ratios use their mean.
  const floorAfter = await measureFloor();
  const reusingAfter = await measureFloor(true);
  const floorSeconds = (floorBefore.wall + floorAfter.wall) / 2;
  const reusingSeconds = (reusingBefore.wall + reusingAfter.wall) / 2;
  const ratio = cycle.totalSeconds / floorSeconds;
  const rows = [
    ['I/O floor, before', floorBefore.wall, floorBefore.cpu, floorBefore.system, floorBefore.faults, `COPY of the bronze, ${floorBefore.megabytes.toFixed(0)} MB written`],
    ['  reusing blocks', reusingBefore.wall, reusingBefore.cpu, reusingBefore.system, reusingBefore.faults, 'the same COPY on an engine that keeps freed blocks, as gold’s does'],
    ['silver', cycle.silverSeconds, cycle.silverCpuSeconds, cycle.silverSystemSeconds, cycle.silverMinorFaults, `${cycle.objects} objects, ${cycle.rowsIn} rows in, ${cycle.rowsOut} out, ${cycle.quarantined} quarantined`],
    [
      'gold',
      cycle.goldSeconds,
      cycle.totalCpuSeconds - cycle.silverCpuSeconds,
      cycle.totalSystemSeconds - cycle.silverSystemSeconds,
      cycle.totalMinorFaults - cycle.silverMinorFaults,
      `${Object.values(cycle.goldRows as Record<string, number>).reduce((a, b) => a + b, 0)} rows in ${Object.keys(cycle.goldRows).length} tables`,
    ],
    ['silver + gold', cycle.totalSeconds, cycle.totalCpuSeconds, cycle.totalSystemSeconds, cycle.totalMinorFaults, `peak RSS ${cycle.peakRssMb} MB (goal ≤ 3072)`],
    ['bronze copied', bronzeCopied.seconds, bronzeCopied.cpuSeconds, bronzeCopied.systemSeconds, bronzeCopied.minorFaults, `${bronzeCopied.objects} bronze objects copied one by one: silver with no model`],
    ['silver copied', silverCopied.seconds, silverCopied.cpuSeconds, silverCopied.systemSeconds, silverCopied.minorFaults, `${silverCopied.objects} silver objects copied as they are, ${silverCopied.megabytes.toFixed(0)} MB`],
    ['gold copied', goldCopied.seconds, goldCopied.cpuSeconds, goldCopied.systemSeconds, goldCopied.minorFaults, `${goldCopied.objects} gold objects copied as they are, ${goldCopied.megabytes.toFixed(0)} MB`],
    ['I/O floor, after', floorAfter.wall, floorAfter.cpu, floorAfter.system, floorAfter.faults, `the same COPY again (${((floorAfter.wall / floorBefore.wall - 1) * 100).toFixed(0)} % against before)`],
    ['  reusing blocks', reusingAfter.wall, reusingAfter.cpu, reusingAfter.system, reusingAfter.faults, `(${((reusingAfter.wall / reusingBefore.wall - 1) * 100).toFixed(0)} % against before)`],
  ] as const;
  // System CPU is the kernel's share of the CPU; faults are minor page faults in thousands (pages
  // of 4 KiB touched for the first time, or again after an allocator handed them back).
  console.log(`\n${'step'.padEnd(18)}${'wall s'.padStart(9)}${'CPU s'.padStart(9)}${'sys s'.padStart(8)}${'faults k'.padStart(10)}  notes`);
  for (const [name, wall, cpu, system, faults, notes] of rows) {
    console.log(`${name.padEnd(18)}${wall.toFixed(2).padStart(9)}${cpu.toFixed(2).padStart(9)}${system.toFixed(2).padStart(8)}${(faults / 1000).toFixed(0).padStart(10)}  ${notes}`);
  }
  console.log(`\nratio (silver + gold) / floor: ${ratio.toFixed(2)} (goal ≤ 2.0; floor = mean of before and after, ${floorSeconds.toFixed(2)} s)`);
  console.log(`ratio against the floor reusing blocks: ${(cycle.totalSeconds / reusingSeconds).toFixed(2)} (floor ${reusingSeconds.toFixed(2)} s)`);
  const outputsSeconds = silverCopied.seconds + goldCopied.seconds;
  const unavoidable = bronzeCopied.seconds + goldCopied.seconds;
  console.log(`outputs rewritten / floor: ${(outputsSeconds / floorSeconds).toFixed(2)} (silver and gold copied, ${outputsSeconds.toFixed(2)} s: the write floor of the lake's layout)`);
  console.log(`silver / bronze copied: ${(cycle.silverSeconds / bronzeCopied.seconds).toFixed(2)} (silver's model over reading and writing its objects)`);
  console.log(`gold / gold copied: ${(cycle.goldSeconds / goldCopied.seconds).toFixed(2)}`);
  console.log(
    `steps with no model (bronze copied + gold copied) / floor: ${(unavoidable / floorSeconds).toFixed(2)}; the goal leaves the models ${(2 * floorSeconds - unavoidable).toFixed(2)} s, they took ${(cycle.totalSeconds - unavoidable).toFixed(2)} s`,
  );
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  console.log(`allocator (floor and steps alike): DUCKDB_JE_MALLOC_CONF=${JSON.stringify(process.env.DUCKDB_JE_MALLOC_CONF)}`);
  console.log(`gold digest: ${await goldDigest(lake)}`);
} finally {
  await rm(directory, { recursive: true, force: true });
}
