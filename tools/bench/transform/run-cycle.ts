import '../product-allocator';
import { runGold, runSilver } from '@twitch-pipeline/pipeline';
import { LocalObjectStore } from '@twitch-pipeline/storage';

// Child process of the benchmarks: one silver + gold cycle on a local lake, measured on its own
// so that peak RSS covers the transform only. Prints one JSON line.
const [lakeDirectory, memoryLimit = '2GB'] = process.argv.slice(2);
if (!lakeDirectory) throw new Error('usage: run-cycle.ts <lake-directory> [memory-limit]');
const store = new LocalObjectStore(lakeDirectory);
const engineOptions = { memoryLimit };

const cpuStarted = process.cpuUsage();
const started = performance.now();
const silver = await runSilver({ store, timeZone: 'America/Sao_Paulo', engineOptions });
const silverDone = performance.now();
const cpuSilver = process.cpuUsage(cpuStarted);
const gold = await runGold({ store, dates: silver.dates, engineOptions });
const goldDone = performance.now();
const cpuTotal = process.cpuUsage(cpuStarted);
const seconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

console.log(
  JSON.stringify({
    silverSeconds: (silverDone - started) / 1000,
    goldSeconds: (goldDone - silverDone) / 1000,
    totalSeconds: (goldDone - started) / 1000,
    silverCpuSeconds: seconds(cpuSilver),
    totalCpuSeconds: seconds(cpuTotal),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    objects: silver.processed.length,
    failed: silver.failed.length,
    rowsIn: silver.rowsIn,
    rowsOut: silver.rowsOut,
    quarantined: silver.quarantined,
    goldRows: gold.tables,
  }),
);
