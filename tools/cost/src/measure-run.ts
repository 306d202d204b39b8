import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEASURED_USAGE_FILE, type MeasuredUsage, readMeasuredUsage } from './measured-usage';

// Runs one collection cycle of the original workload (pt, en, es; 100 streams a language) with
// the local CLI against its built-in simulator, then records the steps' wall times (the run
// record) and the bytes each layer gained (the lake folder) in measured-usage.json.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function bytesUnder(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

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
  const usage: MeasuredUsage = {
    ...readMeasuredUsage(),
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
  writeFileSync(MEASURED_USAGE_FILE, `${JSON.stringify(usage, null, 2)}\n`);
  console.log(JSON.stringify(usage.original, null, 2));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
