import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine, sqlString } from '@twitch-pipeline/duckdb';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { generateBronzeDay } from './bronze-day';
import { goldDigest } from './gold-digest';
import { rewriteOutputs } from './output-floor';

// Benchmark: silver + gold of one simulated full-platform day against the I/O floor, measured in
// one run on the same bronze. The floor is a plain DuckDB COPY of every bronze object into one
// snappy Parquet file (everything read once, written once), taken before and after the steps.
// Silver and gold are the product's steps, run in a child process so that peak RSS and CPU cover
// them alone. Then every silver and gold object they wrote is copied once as it is: the write
// floor of the outputs themselves (one object per snapshot, eight gold tables), roughly the least
// any version of the steps can reach (gold files are copied by one thread each). The gold digest
// lets two versions of the steps be compared on the same input. Gold's engine keeps freed blocks
// for reuse (`reuseFreedBlocks`); the floor is also taken on such an engine, which spares the COPY
// the same page faults, and the ratio printed against it too.
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
    return { wall, cpu: (used.user + used.system) / 1e6, megabytes };
  };
  const floorBefore = await measureFloor();
  const reusingBefore = await measureFloor(true);

  const output = execFileSync('npx', ['tsx', join(import.meta.dirname, 'run-cycle.ts'), lake], { encoding: 'utf8' });
  const cycle = JSON.parse(output.trim().split('\n').at(-1)!);
  const outputs = await rewriteOutputs(lake);
  // The host's speed can drift during a run: the floor is taken before and after the steps, and
  // the ratios use their mean.
  const floorAfter = await measureFloor();
  const reusingAfter = await measureFloor(true);
  const floorSeconds = (floorBefore.wall + floorAfter.wall) / 2;
  const reusingSeconds = (reusingBefore.wall + reusingAfter.wall) / 2;
  const ratio = cycle.totalSeconds / floorSeconds;
  const rows = [
    ['I/O floor, before', floorBefore.wall, floorBefore.cpu, `COPY of the bronze, ${floorBefore.megabytes.toFixed(0)} MB written`],
    ['  reusing blocks', reusingBefore.wall, reusingBefore.cpu, 'the same COPY on an engine that keeps freed blocks, as gold’s does'],
    ['silver', cycle.silverSeconds, cycle.silverCpuSeconds, `${cycle.objects} objects, ${cycle.rowsIn} rows in, ${cycle.rowsOut} out, ${cycle.quarantined} quarantined`],
    ['gold', cycle.goldSeconds, cycle.totalCpuSeconds - cycle.silverCpuSeconds, `${Object.values(cycle.goldRows as Record<string, number>).reduce((a, b) => a + b, 0)} rows in ${Object.keys(cycle.goldRows).length} tables`],
    ['silver + gold', cycle.totalSeconds, cycle.totalCpuSeconds, `peak RSS ${cycle.peakRssMb} MB (goal ≤ 3072)`],
    ['outputs rewritten', outputs.seconds, outputs.cpuSeconds, `${outputs.objects} silver and gold objects copied as they are, ${outputs.megabytes.toFixed(0)} MB`],
    ['I/O floor, after', floorAfter.wall, floorAfter.cpu, `the same COPY again (${((floorAfter.wall / floorBefore.wall - 1) * 100).toFixed(0)} % against before)`],
    ['  reusing blocks', reusingAfter.wall, reusingAfter.cpu, `(${((reusingAfter.wall / reusingBefore.wall - 1) * 100).toFixed(0)} % against before)`],
  ] as const;
  console.log(`\n${'step'.padEnd(18)}${'wall s'.padStart(9)}${'CPU s'.padStart(9)}  notes`);
  for (const [name, wall, cpu, notes] of rows) console.log(`${name.padEnd(18)}${wall.toFixed(2).padStart(9)}${cpu.toFixed(2).padStart(9)}  ${notes}`);
  console.log(`\nratio (silver + gold) / floor: ${ratio.toFixed(2)} (goal ≤ 2.0; floor = mean of before and after, ${floorSeconds.toFixed(2)} s)`);
  console.log(`ratio against the floor reusing blocks: ${(cycle.totalSeconds / reusingSeconds).toFixed(2)} (floor ${reusingSeconds.toFixed(2)} s)`);
  console.log(`outputs rewritten / floor: ${(outputs.seconds / floorSeconds).toFixed(2)} (about the least any version of the steps can reach with these outputs)`);
  console.log(`silver + gold / outputs rewritten: ${(cycle.totalSeconds / outputs.seconds).toFixed(2)} (what the models cost beyond writing their outputs)`);
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  console.log(`gold digest: ${await goldDigest(lake)}`);
} finally {
  await rm(directory, { recursive: true, force: true });
}
