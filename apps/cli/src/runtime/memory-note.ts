import { availableMemory } from '@twitch-pipeline/duckdb';

/**
 * What a simulated backfill (`start`, `backfill`) needs, measured in memory cgroups on the 2-core
 * machine (docs/cli.md#memory): the demo's 10,000 channels passed in 384 MiB and not in 256;
 * 38,000 passed in 1 GiB twice, 44,000 once of twice; the whole platform's 95,000 passed in 2 GiB
 * at its edge and were killed in 1.5 (collecting its snapshots leaves the process holding
 * 650–900 MB when gold's engine takes its share). A fixed part and a part per channel that put
 * those edges just inside.
 */
const BACKFILL_NEED: MemoryNeed = { baseBytes: 200 * 2 ** 20, perChannelBytes: 22 * 2 ** 10, what: 'simulated channels' };

/**
 * What a collector's cycle (`run`) needs: one snapshot, then gold over the day's snapshots so far,
 * growing through the day. Measured at the whole platform's 95,000 channels: killed in 512 MiB
 * once the day held 20 snapshots (603 MB), 20 cycles in 1.5 GiB peaking at 983 MB, and a `rebuild`
 * of a whole day in 1 GiB: a fixed part and a part per channel that put 1 GiB just above them.
 */
const COLLECTOR_NEED: MemoryNeed = { baseBytes: 200 * 2 ** 20, perChannelBytes: 9 * 2 ** 10, what: 'channels collected every cycle' };

/** A process's memory need: a fixed part and a part per channel. */
interface MemoryNeed {
  baseBytes: number;
  perChannelBytes: number;
  /** What the channels are, in the note. */
  what: string;
}

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
  return noteFor(BACKFILL_NEED, channels, available, true);
}

/**
 * {@link lowMemoryNote} for a collector (`run`), whose need grows through the day as gold reads
 * the day's snapshots; `canChoose` offers a `--channels` that fits (the simulator's, not Twitch's).
 *
 * @example
 * collectorMemoryNote(95_000, 512 * 2 ** 20, true); // 'note: this process may use 512 MiB … about 1,035 MiB …'
 */
export function collectorMemoryNote(channels: number, available: number = availableMemory(), canChoose = true): string | undefined {
  return noteFor(COLLECTOR_NEED, channels, available, canChoose);
}

function noteFor(need: MemoryNeed, channels: number, available: number, canChoose: boolean): string | undefined {
  const needed = need.baseBytes + channels * need.perChannelBytes;
  if (available >= needed) return undefined;
  const fitting = Math.floor((available - need.baseBytes) / need.perChannelBytes / 1000) * 1000;
  return (
    `note: this process may use ${mebibytes(available)} (the machine's memory, or its container's limit); ` +
    `${channels.toLocaleString('en-US')} ${need.what} need about ${mebibytes(needed)}, and the system may stop it midway ` +
    `(the shell then prints only "Killed"): give it more memory${canChoose && fitting > 0 ? `, or use --channels ${fitting} or fewer` : ''}\n`
  );
}
