import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TimedCommand, timedCommand } from './timed-command';
import { countArgument } from '../bench-args';

// Benchmark: the read commands over a long history, each in its own process as a user runs it,
// with its wall time and peak RSS. The lake is built by the CLI's own backfill (a small population
// over many snapshots: it is the number of objects, 2 a snapshot plus 8 a date, that a long
// history multiplies), or given.
// A year (8760 hours) at 200 channels takes about 20 minutes to build on 2 cores; with data-dir,
// the lake is built there once and kept, and later runs reuse it.
const USAGE = 'npx tsx tools/bench/cli/long-history.ts [hours] [channels] [data-dir]';
const hours = countArgument(process.argv[2], 8760, 'hours', USAGE);
const channels = countArgument(process.argv[3], 200, 'channels', USAGE);
const keptDataDir = process.argv[4];
const BIN = fileURLToPath(new URL('../../../apps/cli/bin/twitch-pipeline.mjs', import.meta.url));

const dataDir = keptDataDir ?? (await mkdtemp(join(tmpdir(), 'long-history-')));
const env = { ...process.env, PIPELINE_DATA_DIR: dataDir };

/** Runs one CLI command; its exit code, wall seconds, peak RSS (MB) and output. */
function command(args: readonly string[]): Promise<TimedCommand> {
  return timedCommand(BIN, args, env);
}

try {
  if (!existsSync(join(dataDir, 'lake'))) {
    console.log(`building ${hours} hours of ${channels} channels in ${dataDir} (backfill)…`);
    const started = performance.now();
    execFileSync(process.execPath, [BIN, 'backfill', '--hours', String(hours), '--channels', String(channels), '--realtime', 'latest'], { env, stdio: 'ignore' });
    console.log(`built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const top = await command(['query', 'SELECT nome_streamer FROM gold_streamers_diario ORDER BY horas_assistidas DESC LIMIT 1', '--format', 'csv']);
  const channel = top.stdout.split('\n')[1]?.trim() ?? '';
  const middle = await command(['query', 'SELECT quantile_disc(dt, 0.5) AS d FROM gold_streamers_diario', '--format', 'csv']);
  const date = middle.stdout.split('\n')[1]?.trim() ?? '';
  const cases: [string, string[]][] = [
    ['status', ['status']],
    ['query: gold, one date', ['query', `SELECT count(*) FROM gold_categorias_diario WHERE dt = DATE '${date}'`]],
    ['query: gold, every date', ['query', 'SELECT count(*) FROM gold_categorias_diario']],
    ['query: silver, one date', ['query', `SELECT count(*) FROM silver_streams WHERE dt = DATE '${date}'`]],
    ['query: silver, every date', ['query', 'SELECT count(*) FROM silver_streams']],
    ['query --saved top_categories_by_hours', ['query', '--saved', 'top_categories_by_hours']],
    ['query --list', ['query', '--list']],
    [`channel ${channel}`, ['channel', channel]],
    ['category "Just Chatting"', ['category', 'Just Chatting']],
    ['dashboard', ['dashboard', '--out', join(dataDir, 'long-history-dashboard.html')]],
  ];
  console.log(`history: ${hours} hours, ${channels} channels; middle date ${date}`);
  for (const [name, args] of cases) {
    const result = await command(args);
    console.log(`${name.padEnd(40)} ${result.seconds.toFixed(2).padStart(7)} s  ${String(result.peakMb).padStart(6)} MB${result.code === 0 ? '' : `  exit ${result.code}`}`);
  }
} finally {
  if (!keptDataDir) await rm(dataDir, { recursive: true, force: true });
}
