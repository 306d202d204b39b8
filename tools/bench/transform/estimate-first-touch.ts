import '../product-allocator';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDbEngine, sqlFileList } from '@twitch-pipeline/duckdb';
import { installFeatureMacros } from '@twitch-pipeline/features';
import { buildEstimate, ESTIMATE_WINDOW_SAMPLES } from '@twitch-pipeline/pipeline';
import { exitWithUsage, silverLakeOrUsage } from '../bench-args';

// Benchmark: what the estimate of hours watched (int_horas_estimadas) pays for touching its
// memory for the first time. Builds the estimate of one date twice in a row with the gold step's
// own buildEstimate, on one engine that reuses freed blocks as the gold step's does: the first
// pass faults in its hash tables, the second finds them mapped. Prints seconds, CPU, system CPU
// and minor page faults of each pass, with the rows and sums, which must not differ. The date's
// silver is read with no neighbouring snapshots (gold-only.ts leaves such a lake).
const USAGE = 'npx tsx tools/bench/transform/estimate-first-touch.ts <lake-directory> [date] [memory-limit]';
const [lakeArg, dateArg, memoryLimit = '2GB'] = process.argv.slice(2);
const { lake, dates } = await silverLakeOrUsage(lakeArg, USAGE);
const date = dateArg ?? dates[0]!;
if (!dates.includes(date)) exitWithUsage(USAGE, `no silver of ${date} under ${lake}; its dates: ${dates.join(', ')}`);
const folder = join(lake, 'silver', 'streams', `dt=${date}`);
const paths = (await readdir(folder)).filter((name) => name.endsWith('.parquet')).map((name) => join(folder, name));

const engine = await DuckDbEngine.open({ memoryLimit, reuseFreedBlocks: true });
try {
  await installFeatureMacros(engine);
  await engine.run(`CREATE TEMP VIEW silver_streams AS SELECT * FROM read_parquet(${sqlFileList(paths)})`);
  await engine.run('CREATE TEMP VIEW silver_vizinhas AS SELECT * FROM silver_streams LIMIT 0');
  for (const pass of ['first', 'second']) {
    const cpu = process.cpuUsage();
    const faults = process.resourceUsage().minorPageFault;
    const started = performance.now();
    const windows = await buildEstimate(engine, date, ESTIMATE_WINDOW_SAMPLES);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const [totals] = await engine.all<Record<string, unknown>>(
      'SELECT count(*) AS rows, CAST(sum(horas_exatas) AS VARCHAR) AS hours, CAST(sum(minutos_exatos) AS VARCHAR) AS minutes, sum(amostras) AS samples FROM int_horas_estimadas',
    );
    console.log(
      `${pass} pass (${windows.length} windows): ${seconds.toFixed(2)} s, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU, ` +
        `${(used.system / 1e6).toFixed(2)} s system, ${((process.resourceUsage().minorPageFault - faults) / 1000).toFixed(0)}k faults, ${JSON.stringify(totals)}`,
    );
  }
} finally {
  await engine.close();
}
