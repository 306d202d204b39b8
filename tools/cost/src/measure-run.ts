import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { estimate } from './estimate';
import { MEASURED_USAGE_FILE, type MeasuredUsage, readMeasuredUsage } from './measured-usage';
import { costTable } from './monthly-cost';

// Runs one collection cycle of the original workload (pt, en, es; 100 streams a language) with
// the local CLI against its built-in simulator, measures the steps' wall times (the run record)
// and the bytes each layer gained (the lake folder), and prints them with the estimate they give.
// Only with --write does it record them in measured-usage.json: the deploy guide's tables and
// their test follow that file, so a measurement taken to look must not leave the clone changed.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const write = process.argv.includes('--write');

function bytesUnder(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

const total = (items: { listCost: number }[]) => items.reduce((sum, item) => sum + item.listCost, 0);

const dataDir = mkdtempSync(join(tmpdir(), 'cost-measure-'));
try {
  const run = spawnSync(process.execPath, [join(ROOT, 'apps/cli/bin/twitch-pipeline.mjs'), 'run'], {
    cwd: ROOT,
    env: { ...process.env, PIPELINE_DATA_DIR: dataDir, PIPELINE_LANGUAGES: 'pt,en,es', PIPELINE_MAX_STREAMS_PER_LANGUAGE: '100', TWITCH_CLIENT_ID: '', TWITCH_CLIENT_SECRET: '' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`twitch-pipeline run failed (${run.status}): ${run.stderr}`);
  const runsDir = join(dataDir, 'runs');
  const [recordFile] = readdirSync(runsDir).filter((name) => name.endsWith('.json'));
  const record = JSON.parse(readFileSync(join(runsDir, recordFile!), 'utf8'));
  const lake = join(dataDir, 'lake');
  const committed = readMeasuredUsage();
  const usage: MeasuredUsage = {
    ...committed,
    original: {
      source: `twitch-pipeline run (simulator, pt,en,es, 100 a language), ${availableParallelism()} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
      streams: record.rows.bronze,
      stepsMs: {
        extract: record.steps.extract,
        publish: record.steps.publish,
        consume: record.steps.consume,
        silver: record.steps.silver,
        gold: record.steps.gold,
      },
      helixRequests: Math.ceil(record.rows.bronze / 100),
      bronzeBytes: bytesUnder(join(lake, 'raw')),
      silverBytes: bytesUnder(join(lake, 'silver')),
      goldBytesPerDay: bytesUnder(join(lake, 'gold')),
    },
  };
  console.log(JSON.stringify(usage.original, null, 2));
  const measured = estimate('original', usage);
  console.log(`\noriginal, from this measurement\n\n${costTable(measured)}\n`);
  console.log(`list price $${total(measured).toFixed(2)} a month; the recorded measurement gives $${total(estimate('original', committed)).toFixed(2)}`);
  if (write) {
    writeFileSync(MEASURED_USAGE_FILE, `${JSON.stringify(usage, null, 2)}\n`);
    console.log('recorded in tools/cost/measured-usage.json: rewrite the deploy guide with `npx tsx tools/cost/src/main.ts --write`');
  } else {
    console.log('tools/cost/measured-usage.json is unchanged: `npx nx run cost:measure -- --write` records this measurement');
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
