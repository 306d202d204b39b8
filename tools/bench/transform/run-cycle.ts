import '../product-allocator';
import { join } from 'node:path';
import { runSilver } from '@twitch-pipeline/pipeline';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { copyToOneFile, layerObjects } from './output-floor';
import { runGoldOrThrow } from '../gold-or-throw';

// Child process of the benchmarks: one silver + gold cycle on a local lake, measured on its own
// so that peak RSS covers the transform only. Prints one JSON line. With `warm`, the process first
// copies the bronze once as the I/O floor does, untimed, so that the steps run where DuckDB has
// already run (floor-ratio.ts compares the two); its peak RSS then covers the copy too.
const [lakeDirectory, memoryLimit = '2GB', warm] = process.argv.slice(2);
if (!lakeDirectory) throw new Error('usage: run-cycle.ts <lake-directory> [memory-limit] [warm]');
const store = new LocalObjectStore(lakeDirectory);
const engineOptions = { memoryLimit };
if (warm === 'warm') await copyToOneFile(await layerObjects(lakeDirectory, 'raw'), join(lakeDirectory, 'warm-up.parquet'));

// System CPU and minor page faults show what the kernel spent: mostly pages touched for the
// first time, or again after an allocator gave them back (see docs/benchmarks.md).
const faults = () => process.resourceUsage().minorPageFault;
const cpuStarted = process.cpuUsage();
const faultsStarted = faults();
const started = performance.now();
const silver = await runSilver({ store, timeZone: 'America/Sao_Paulo', engineOptions });
const silverDone = performance.now();
const cpuSilver = process.cpuUsage(cpuStarted);
const faultsSilver = faults() - faultsStarted;
const gold = await runGoldOrThrow({ store, dates: silver.dates, engineOptions });
const goldDone = performance.now();
const cpuTotal = process.cpuUsage(cpuStarted);
const faultsTotal = faults() - faultsStarted;
const seconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

console.log(
  JSON.stringify({
    silverSeconds: (silverDone - started) / 1000,
    goldSeconds: (goldDone - silverDone) / 1000,
    totalSeconds: (goldDone - started) / 1000,
    silverCpuSeconds: seconds(cpuSilver),
    totalCpuSeconds: seconds(cpuTotal),
    silverSystemSeconds: cpuSilver.system / 1e6,
    totalSystemSeconds: cpuTotal.system / 1e6,
    silverMinorFaults: faultsSilver,
    totalMinorFaults: faultsTotal,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    objects: silver.processed.length,
    failed: silver.failed.length,
    rowsIn: silver.rowsIn,
    rowsOut: silver.rowsOut,
    quarantined: silver.quarantined,
    goldRows: gold.tables,
  }),
);
