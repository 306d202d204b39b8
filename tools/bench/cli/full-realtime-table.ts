import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type TimedCommand, timedCommand } from './timed-command';
import { countArgument, exitWithUsage } from '../bench-args';

// Benchmark: the read commands over a real-time table as full as a collector of the whole platform
// keeps (two days of snapshots, one segment each), each command in its own process as a user runs
// it, with its wall time and peak RSS. The lake is a small backfill by the CLI; the table is its
// latest snapshot's segment copied N times, each copy's times shifted back 30 minutes more (its
// items still live), as 30-minute cycles would have written it. Two channels of the lake are left
// out of the newest segments, so that `channel` is timed for one live now, one offline for a day
// (in the older half of the segments only) and one the table no longer holds (in none). One
// housekeeping pass of the measured code records the segments first, as a collector's cycle does;
// it runs with nothing recorded, as after an upgrade, then again.
// The folder is built once and kept; later runs reuse it. With cli-bin, the commands timed are
// those of another checkout's CLI (to compare before and after a change) over the same folder;
// each command's output is kept in <folder>/outputs/<checkout folder name>/ to compare them.
const USAGE = 'npx tsx tools/bench/cli/full-realtime-table.ts <folder> [snapshots] [channels] [cli-bin]';
if (!process.argv[2]) exitWithUsage(USAGE, 'missing <folder>');
const folder = resolve(process.argv[2]);
const snapshots = countArgument(process.argv[3], 96, 'snapshots', USAGE);
const channels = countArgument(process.argv[4], 95_000, 'channels', USAGE);
const BIN = resolve(process.argv[5] ?? fileURLToPath(new URL('../../../apps/cli/bin/twitch-pipeline.mjs', import.meta.url)));
const SNAPSHOT_MS = 30 * 60 * 1000;
const CHECKOUT = resolve(dirname(BIN), '..', '..', '..');

const dataDir = join(folder, 'data');
const segmentsDir = join(dataDir, 'realtime', 'segments');
const env = { ...process.env, PIPELINE_DATA_DIR: dataDir };

/** Runs one CLI command; its exit code, wall seconds, peak RSS (MB) and output. */
function command(args: readonly string[]): Promise<TimedCommand> {
  return timedCommand(BIN, args, env);
}

/**
 * Writes `source` again as the segment written `copy` snapshots earlier (copy 0: in its place):
 * every time in it moved back, the items of the channels in `leaveOut` left out.
 */
async function copyShiftedBack(source: string, copy: number, leaveOut: ReadonlySet<string>): Promise<void> {
  const name = basename(source);
  const [opened, pid] = name.split('-');
  const shiftMs = copy * SNAPSHOT_MS;
  const target = copy === 0 ? `${source}.rewritten` : join(segmentsDir, `${String(Number(opened) - shiftMs).padStart(13, '0')}-${pid}-${copy.toString(16).padStart(8, '0')}.ndjson`);
  const out = createWriteStream(target);
  for await (const line of createInterface({ input: createReadStream(source), crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line === '') continue;
    const item = JSON.parse(line) as { nome_streamer: string; timestamp: string; iniciado_em?: string; expira_em: number; _versao: number };
    if (leaveOut.has(item.nome_streamer)) continue;
    item.timestamp = new Date(Date.parse(item.timestamp) - shiftMs).toISOString();
    item.expira_em -= shiftMs / 1000;
    item._versao -= shiftMs * 1000;
    if (!out.write(`${JSON.stringify(item)}\n`)) await new Promise<void>((drained) => out.once('drain', () => drained()));
  }
  await new Promise<void>((closed, failed) => out.end((error?: Error | null) => (error ? failed(error) : closed())));
  // Dated as its writer would have left it, so that it reads as a finished segment.
  const when = copy === 0 ? (await stat(source)).mtime : new Date(Date.now() - shiftMs);
  await utimes(target, when, when);
  if (copy === 0) await rename(target, source);
}

async function dataSegments(): Promise<string[]> {
  return (await readdir(segmentsDir)).filter((name) => !name.includes('empty')).sort();
}

if (!existsSync(join(dataDir, 'lake'))) {
  console.log(`building a lake of 1 hour of ${channels} channels in ${dataDir} (backfill)…`);
  execFileSync(process.execPath, [BIN, 'backfill', '--hours', '1', '--channels', String(channels), '--realtime', 'latest'], { env, stdio: 'ignore' });
}
// The top three channels of the lake: the first stays live; the second is left out of the newest
// day of segments (offline for a day), the third out of every segment (its items expired).
const top = await command(['query', 'SELECT nome_streamer FROM gold_streamers_diario ORDER BY horas_assistidas DESC, nome_streamer LIMIT 3', '--format', 'csv']);
const [live = '', offline = '', gone = ''] = top.stdout.split('\n').slice(1).map((line) => line.trim());
const present = await dataSegments();
if (present.length < snapshots) {
  const latest = join(segmentsDir, present.at(-1)!);
  console.log(`growing the real-time table from ${present.length} to ${snapshots} segments…`);
  const leaveOut = (copy: number) => new Set(copy < snapshots / 2 ? [offline, gone] : [gone]);
  // The newest segment last: every copy is made from it as the backfill wrote it.
  for (let copy = Math.max(present.length, 1); copy < snapshots; copy += 1) await copyShiftedBack(latest, copy, leaveOut(copy));
  if (present.length === 1) await copyShiftedBack(latest, 0, leaveOut(0));
}
const segments = await dataSegments();
let bytes = 0;
for (const name of segments) bytes += (await stat(join(segmentsDir, name))).size;
console.log(`real-time table: ${segments.length} segments, ${(bytes / 1024 ** 3).toFixed(2)} GB; CLI ${BIN}`);
const outputs = join(folder, 'outputs', basename(CHECKOUT));
await mkdir(outputs, { recursive: true });
const housekeeping = (): Promise<TimedCommand> =>
  timedCommand(fileURLToPath(new URL('housekeeping.ts', import.meta.url)), [CHECKOUT, dataDir], env, ['--import', 'tsx']);
const cases: [string, () => Promise<TimedCommand>][] = [
  ['housekeeping (nothing recorded)', housekeeping],
  ['housekeeping (again)', housekeeping],
  ['status (first)', () => command(['status'])],
  ['status (again)', () => command(['status'])],
  ['status --json', () => command(['status', '--json'])],
  ['dashboard --out', () => command(['dashboard', '--out', join(folder, 'dashboard.html')])],
  ...[live, offline, gone].flatMap((login, index): [string, () => Promise<TimedCommand>][] => {
    const label = `channel ${login} (${['live now', 'offline for a day', 'in no segment'][index]})`;
    return [0, 1].map((run) => [`${label}${run === 0 ? '' : ' again'}`, () => command(['channel', login])]);
  }),
];
// The housekeeping pass and the first status run with nothing recorded of the segments (their
// summaries, channels and verdicts), as after an upgrade; the next ones reuse what they recorded.
for (const recorded of ['segment-expiries.json', 'segment-newest.json', 'segment-channels', 'segment-verdicts.json']) {
  await rm(join(dataDir, 'realtime', recorded), { recursive: true, force: true });
}
for (const [name, run] of cases) {
  const result = await run();
  const digest = createHash('sha256').update(result.stdout).digest('hex').slice(0, 12);
  await writeFile(join(outputs, `${name.replace(/[^a-z0-9]+/gi, '-')}.txt`), result.stdout);
  console.log(`${name.padEnd(52)} ${result.seconds.toFixed(2).padStart(7)} s  ${String(result.peakMb).padStart(6)} MB  out ${digest}${result.code === 0 ? '' : `  exit ${result.code}`}`);
}
