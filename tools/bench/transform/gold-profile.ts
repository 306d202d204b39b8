import '../product-allocator';
import { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { silverLakeOrUsage } from '../bench-args';
import { runGoldOrThrow } from '../gold-or-throw';

// Benchmark: where the gold step's time goes. Runs gold once on a lake whose silver is already
// built (as gold-only.ts leaves it) and prints the wall seconds of its statements, summed by the
// model or table each one runs or writes, largest first. A model run once per window of hours
// adds up its windows; a table written from a model counts its write under `write <table>`.
// The engine's statements are timed by wrapping its two query methods in this process only; the
// minor page faults each label caused (thousands) show which statements touch memory first.
const USAGE = 'npx tsx tools/bench/transform/gold-profile.ts <lake-directory> [memory-limit]';
const [lakeArg, memoryLimit = '2GB'] = process.argv.slice(2);
const { lake, dates } = await silverLakeOrUsage(lakeArg, USAGE);

/** What a statement runs: the model its SQL names in its header, the gold file it writes, or its first words. */
function labelOf(sql: string): string {
  const written = /^COPY[\s\S]*\/gold\/([a-z_]+)\/dt=/.exec(sql);
  if (written) return `write ${written[1]}`;
  const model = /-- Model ([a-z_]+)/.exec(sql) ?? /TEMP TABLE ([a-z_]+)/.exec(sql);
  return model ? model[1]! : sql.replace(/\s+/g, ' ').slice(0, 48);
}

const seconds = new Map<string, number>();
const faults = new Map<string, number>();
const faultCount = () => process.resourceUsage().minorPageFault;
const engine = DuckDbEngine.prototype as unknown as Record<'run' | 'all', (sql: string, ...rest: unknown[]) => Promise<unknown>>;
for (const method of ['run', 'all'] as const) {
  const query = engine[method];
  engine[method] = async function (this: unknown, sql: string, ...rest: unknown[]) {
    const started = performance.now();
    const faultsBefore = faultCount();
    try {
      return await query.call(this, sql, ...rest);
    } finally {
      const label = labelOf(sql);
      seconds.set(label, (seconds.get(label) ?? 0) + (performance.now() - started) / 1000);
      faults.set(label, (faults.get(label) ?? 0) + faultCount() - faultsBefore);
    }
  };
}

const started = performance.now();
await runGoldOrThrow({ store: new LocalObjectStore(lake), dates, engineOptions: { memoryLimit } });
const total = (performance.now() - started) / 1000;
console.log(`gold ${total.toFixed(2)} s wall (dates ${dates.join(', ')}, engine memory ${memoryLimit})`);
for (const [label, spent] of [...seconds].sort((a, b) => b[1] - a[1]).filter(([, spent]) => spent >= 0.01)) {
  console.log(`  ${label.padEnd(48)} ${spent.toFixed(2).padStart(6)} s  ${((100 * spent) / total).toFixed(0).padStart(3)} %  ${((faults.get(label) ?? 0) / 1000).toFixed(0).padStart(5)}k faults`);
}
