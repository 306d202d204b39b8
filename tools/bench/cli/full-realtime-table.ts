import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type TimedCommand, timedCommand } from './timed-command';

// Benchmark: the read commands over a real-time table as full as a collector of the whole platform
// keeps (two days of snapshots, one segment each), each command in its own process as a user runs
// it, with its wall time and peak RSS. The lake is a small backfill by the CLI; the table is its
// latest snapshot's segment copied N times, each copy's times shifted back 30 minutes more (its
// items still live), as 30-minute cycles would have written it.
// Usage: npx tsx tools/bench/cli/full-realtime-table.ts <folder> [snapshots] [channels] [cli-bin]
// The folder is built once and kept; later runs reuse it. With cli-bin, the commands timed are
// those of another checkout's CLI (to compare before and after a change) over the same folder.
const folder = resolve(process.argv[2] ?? 'full-realtime-table');
const snapshots = Number(process.argv[3] ?? 96);
const channels = Number(process.argv[4] ?? 95_000);
const BIN = resolve(process.argv[5] ?? fileURLToPath(new URL('../../../apps/cli/bin/twitch-pipeline.mjs', import.meta.url)));
const SNAPSHOT_MS = 30 * 60 * 1000;

const dataDir = join(folder, 'data');
const segmentsDir = join(dataDir, 'realtime', 'segments');
const env = { ...process.env, PIPELINE_DATA_DIR: dataDir };

/** Runs one CLI command; its exit code, wall seconds, peak RSS (MB) and output. */
function command(args: readonly string[]): Promise<TimedCommand> {
  return timedCommand(BIN, args, env);
}

/** Writes `source` again as the segment written `copy` snapshots earlier: every time in it moved back. */
async function copyShiftedBack(source: string, copy: number): Promise<void> {
  const name = source.slice(source.lastIndexOf('/') + 1);
  const [opened, pid] = name.split('-');
  const shiftMs = copy * SNAPSHOT_MS;
  const target = join(segmentsDir, `${String(Number(opened) - shiftMs).padStart(13, '0')}-${pid}-${copy.toString(16).padStart(8, '0')}.ndjson`);
  const out = createWriteStream(target);
  for await (const line of createInterface({ input: createReadStream(source), crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line === '') continue;
    const item = JSON.parse(line) as { timestamp: string; iniciado_em?: string; expira_em: number; _versao: number };
    item.timestamp = new Date(Date.parse(item.timestamp) - shiftMs).toISOString();
    item.expira_em -= shiftMs / 1000;
    item._versao -= shiftMs * 1000;
    if (!out.write(`${JSON.stringify(item)}\n`)) await new Promise<void>((drained) => out.once('drain', () => drained()));
  }
  await new Promise<void>((closed, failed) => out.end((error?: Error | null) => (error ? failed(error) : closed())));
  // Dated as its writer would have left it, so that it reads as a finished segment.
  const when = new Date(Date.now() - shiftMs);
  await utimes(target, when, when);
}

async function dataSegments(): Promise<string[]> {
  return (await readdir(segmentsDir)).filter((name) => !name.includes('empty')).sort();
}

if (!existsSync(join(dataDir, 'lake'))) {
  console.log(`building a lake of 1 hour of ${channels} channels in ${dataDir} (backfill)…`);
  execFileSync(process.execPath, [BIN, 'backfill', '--hours', '1', '--channels', String(channels), '--realtime', 'latest'], { env, stdio: 'ignore' });
}
const present = await dataSegments();
if (present.length < snapshots) {
  const latest = join(segmentsDir, present.at(-1)!);
  console.log(`growing the real-time table from ${present.length} to ${snapshots} segments…`);
  for (let copy = present.length; copy < snapshots; copy += 1) await copyShiftedBack(latest, copy);
}
const segments = await dataSegments();
let bytes = 0;
for (const name of segments) bytes += (await stat(join(segmentsDir, name))).size;
const top = await command(['query', 'SELECT nome_streamer FROM gold_streamers_diario ORDER BY horas_assistidas DESC LIMIT 1', '--format', 'csv']);
const channel = top.stdout.split('\n')[1]?.trim() ?? '';
console.log(`real-time table: ${segments.length} segments, ${(bytes / 1024 ** 3).toFixed(2)} GB; CLI ${BIN}`);
const cases: [string, string[]][] = [
  ['status (first)', ['status']],
  ['status (again)', ['status']],
  ['status --json', ['status', '--json']],
  ['dashboard --out', ['dashboard', '--out', join(folder, 'dashboard.html')]],
  [`channel ${channel}`, ['channel', channel]],
];
// The first status runs with no remembered segment verdicts, as after an upgrade; the next reuse them.
await rm(join(dataDir, 'realtime', 'segment-verdicts.json'), { force: true });
for (const [name, args] of cases) {
  const result = await command(args);
  console.log(`${name.padEnd(40)} ${result.seconds.toFixed(2).padStart(7)} s  ${String(result.peakMb).padStart(6)} MB${result.code === 0 ? '' : `  exit ${result.code}`}`);
}
