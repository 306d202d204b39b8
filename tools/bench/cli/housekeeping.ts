import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// One housekeeping pass over a data directory's real-time table (`removeExpiredSegments`, which
// every cycle of a collector runs after its consumer), with the storage library of the checkout
// named, so that a benchmark times the pass of the code it measures, before or after a change.
// Usage: npx tsx tools/bench/cli/housekeeping.ts <checkout> <data-dir>
const checkout = resolve(process.argv[2] ?? '.');
const dataDir = resolve(process.argv[3] ?? 'data');
const storage = (await import(pathToFileURL(join(checkout, 'libs', 'storage', 'src', 'index.ts')).href)) as {
  LocalRealtimeTable: new (directory: string) => { removeExpiredSegments(): Promise<{ removed: number; unchecked: unknown[] }> };
};
const { removed, unchecked } = await new storage.LocalRealtimeTable(join(dataDir, 'realtime')).removeExpiredSegments();
console.log(JSON.stringify({ removed, unchecked: unchecked.length }));
