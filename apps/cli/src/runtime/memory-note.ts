import { availableMemory } from '@twitch-pipeline/duckdb';

/**
 * What a simulated backfill (`start`, `backfill`) needs, measured in memory cgroups on the 2-core
 * machine (docs/cli.md#memory): the demo's 10,000 channels passed in 384 MiB and not in 256;
 * 38,000 passed in 1 GiB twice, 44,000 once of twice; the whole platform's 95,000 passed in 2 GiB
 * at its edge and were killed in 1.5 (collecting its snapshots leaves the process holding
 * 650–900 MB when gold's engine takes its share). A fixed part and a part per channel that put
 * those edges just inside.
 */
const BASE_BYTES = 200 * 2 ** 20;
const PER_CHANNEL_BYTES = 22 * 2 ** 10;

const mebibytes = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`;

/**
 * A note for a simulated backfill of `channels` that the memory available may not hold, or
 * undefined when it does. The kernel stops a process over its container's limit with no word of
 * its own (the shell prints `Killed`), so the command says it before it starts.
 *
 * @example
 * lowMemoryNote(95_000, 2 ** 30); // 'note: this process may use 1,024 MiB … about 2,241 MiB …'
 */
export function lowMemoryNote(channels: number, available: number = availableMemory()): string | undefined {
  const needed = BASE_BYTES + channels * PER_CHANNEL_BYTES;
  if (available >= needed) return undefined;
  const fitting = Math.floor((available - BASE_BYTES) / PER_CHANNEL_BYTES / 1000) * 1000;
  return (
    `note: this process may use ${mebibytes(available)} (the machine's memory, or its container's limit); ` +
    `${channels.toLocaleString('en-US')} simulated channels need about ${mebibytes(needed)}, and the system may stop it midway ` +
    `(the shell then prints only "Killed"): give it more memory${fitting > 0 ? `, or use --channels ${fitting} or fewer` : ''}\n`
  );
}
