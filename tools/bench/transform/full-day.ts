import '../product-allocator';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { type CycleResult, runBenchProcess } from './bench-process';
import { generateBronzeDay } from './bronze-day';
import { countArgument } from '../bench-args';

// Benchmark: one simulated full-platform day (48 snapshots × 95,000 streams) through silver and
// gold.
const USAGE = 'npx tsx tools/bench/transform/full-day.ts [snapshots] [streams-per-snapshot]';
const snapshots = countArgument(process.argv[2], 48, 'snapshots', USAGE);
const streams = countArgument(process.argv[3], 95_000, 'streams-per-snapshot', USAGE);
const directory = await mkdtemp(join(tmpdir(), 'bench-transform-'));
try {
  const lake = join(directory, 'lake');
  const generationStarted = performance.now();
  await generateBronzeDay(new LocalObjectStore(lake), { date: '2026-11-29', snapshots, streamsPerSnapshot: streams });
  console.log(`bronze: ${snapshots} snapshots × ${streams} streams generated in ${((performance.now() - generationStarted) / 1000).toFixed(1)} s`);
  const result = runBenchProcess<CycleResult>('run-cycle.ts', [lake]);
  console.log(`silver: ${result.silverSeconds.toFixed(2)} s (${result.objects} objects, ${result.rowsIn} rows in, ${result.rowsOut} out, ${result.quarantined} quarantined)`);
  console.log(`gold:   ${result.goldSeconds.toFixed(2)} s (${JSON.stringify(result.goldRows)})`);
  console.log(`total:  ${result.totalSeconds.toFixed(2)} s wall, ${result.totalCpuSeconds.toFixed(2)} s CPU (silver ${result.silverCpuSeconds.toFixed(2)} s), peak RSS ${result.peakRssMb} MB (goal ≤ 3072 MB; the time goal is against the I/O floor: floor-ratio.ts)`);
} finally {
  await rm(directory, { recursive: true, force: true });
}
