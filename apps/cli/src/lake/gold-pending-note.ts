import { join } from 'node:path';
import { listGoldPending } from '@twitch-pipeline/pipeline';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { firstNamed } from './lake-keys';

/**
 * The dates whose gold waits for a rebuild: silver changed since (a cycle under way), or a gold
 * run failed between its tables, which are then published one at a time. None when the lake
 * cannot be listed: the views say why.
 *
 * @example
 * await goldPendingDates('./data'); // ['2026-12-06'] while a cycle is between silver and gold
 */
export async function goldPendingDates(dataDir: string): Promise<string[]> {
  const pending = await listGoldPending(new LocalObjectStore(join(dataDir, 'lake'))).catch(() => []);
  return [...new Set(pending.flatMap((entry) => entry.dates))].sort();
}

/**
 * The note a reading command prints about those dates.
 *
 * @example
 * describeGoldPending(['2026-12-06']); // 'note: gold of 2026-12-06 waits for a rebuild …'
 */
export function describeGoldPending(dates: readonly string[]): string {
  return (
    `note: gold of ${firstNamed(dates)} waits for a rebuild (a cycle under way, or one that failed): ` +
    `until the next cycle rebuilds ${dates.length === 1 ? 'it' : 'them'}, the gold tables of ${dates.length === 1 ? 'that date' : 'those dates'} may disagree (\`status\` names them)\n`
  );
}
