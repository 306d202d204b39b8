import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exitWithUsage } from '../bench-args';

// One housekeeping pass over a data directory's real-time table (`removeExpiredSegments`, which
// every cycle of a collector runs after its consumer), with the storage library of the checkout
// named, so that a benchmark times the pass of the code it measures, before or after a change.
const USAGE = 'npx tsx tools/bench/cli/housekeeping.ts <checkout> <data-dir>';
const [checkoutArg, dataDirArg] = process.argv.slice(2);
if (!checkoutArg || !dataDirArg) exitWithUsage(USAGE, 'missing <checkout> or <data-dir>');
// A data directory that is not there has an empty table, and the pass would report nothing to do.
if (!existsSync(join(dataDirArg, 'realtime'))) exitWithUsage(USAGE, `no real-time table in ${dataDirArg}`);
const checkout = resolve(checkoutArg);
const dataDir = resolve(dataDirArg);
const storage = (await import(pathToFileURL(join(checkout, 'libs', 'storage', 'src', 'index.ts')).href)) as {
  LocalRealtimeTable: new (directory: string) => { removeExpiredSegments(): Promise<{ removed: number; unchecked: unknown[] }> };
};
const { removed, unchecked } = await new storage.LocalRealtimeTable(join(dataDir, 'realtime')).removeExpiredSegments();
console.log(JSON.stringify({ removed, unchecked: unchecked.length }));
