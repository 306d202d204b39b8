import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LakeSession } from '../../../apps/cli/src/lake/lake-session';
import { main } from '../../../apps/cli/src/main';
import { countArgument, exitWithUsage } from '../bench-args';

// Benchmark: `query --format csv|json` exporting a full-platform day of silver rows, through the
// CLI's own entry (main), its output counted instead of written; or `query --out FILE` writing
// it to a file (format out.csv, out.json or out.parquet). The rows are the demo's silver
// repeated: 16 copies of its 279,221 rows is about one day of Twitch's ~95,000 live streams.
// Without data-dir, `twitch-pipeline start` builds a demo lake in a temporary folder first.
// One format per run, so the peak RSS printed is that export's own.
const FORMATS = ['csv', 'json', 'out.csv', 'out.json', 'out.parquet'];
const USAGE = `npx tsx tools/bench/cli/query-export.ts [${FORMATS.join('|')}] [copies] [data-dir]`;
const format = process.argv[2] ?? 'csv';
// Checked before the demo lake is built, which takes a while, rather than by the query after it.
if (!FORMATS.includes(format)) exitWithUsage(USAGE, `no format "${format}"`);
const copies = countArgument(process.argv[3], 16, 'copies', USAGE);
const keptDataDir = process.argv[4];
if (keptDataDir !== undefined && !existsSync(keptDataDir)) exitWithUsage(USAGE, `no data directory ${keptDataDir}`);
const BIN = fileURLToPath(new URL('../../../apps/cli/bin/twitch-pipeline.mjs', import.meta.url));

const dataDir = keptDataDir ?? (await mkdtemp(join(tmpdir(), 'query-export-')));
try {
  if (!keptDataDir) {
    console.log(`building a demo lake in ${dataDir} (npm start)…`);
    execFileSync(process.execPath, [BIN, 'start'], { env: { ...process.env, PIPELINE_DATA_DIR: dataDir }, stdio: 'ignore' });
  }
  const session = await LakeSession.open(dataDir);
  const silverRows = Number((await session.query('SELECT count(*) FROM silver_streams')).rows[0]![0]);
  await session.close();
  let bytes = 0;
  let errors = '';
  const io = {
    out: (text: string | Uint8Array) => {
      bytes += typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength;
    },
    drained: async () => {},
    err: (text: string) => {
      errors += text;
    },
    interactive: false,
  };
  const sql = `SELECT s.* FROM silver_streams s, range(${copies})`;
  const file = format.startsWith('out.') ? join(dataDir, format) : undefined;
  const args = file ? ['query', sql, '--out', file] : ['query', sql, '--format', format];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const code = await main(args, io, { ...process.env, PIPELINE_DATA_DIR: dataDir });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  if (code !== 0) throw new Error(`query exited with ${code}: ${errors}`);
  if (file) {
    bytes = (await stat(file)).size;
    await rm(file);
  }
  const rows = silverRows * copies;
  console.log(`query ${file ? `--out ${format}` : `--format ${format}`}: ${sql}`);
  console.log(
    `${rows.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s wall, ` +
      `${((used.user + used.system) / 1e6).toFixed(1)} s CPU (${Math.round(rows / seconds).toLocaleString('en-US')} rows/s), ` +
      `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  );
} finally {
  if (!keptDataDir) await rm(dataDir, { recursive: true, force: true });
}
