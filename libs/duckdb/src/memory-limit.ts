import { totalmem } from 'node:os';

/**
 * Share of the memory this process may use that DuckDB gets when no limit is given. DuckDB's own
 * default, 80 %, leaves too little for the rest of the process: gold over a full-platform day
 * peaked at limit + 330-400 MB of RSS, so in a 1.5 GiB container the 80 % default was killed by
 * the kernel, where 60 % ran in the same time (see docs/transforms.md).
 */
const DEFAULT_MEMORY_SHARE = 0.6;

/**
 * The memory limit an engine gets when none is given: 60 % of the memory this process may use,
 * the machine's or, when smaller, its container's (the cgroup limit Node reads).
 *
 * @example
 * defaultMemoryLimit(); // '14462MiB' on a 24 GiB machine
 * defaultMemoryLimit(24 * 2 ** 30, 2 ** 30); // '614MiB' in a 1 GiB container
 */
export function defaultMemoryLimit(totalBytes: number = totalmem(), constrainedBytes: number | undefined = process.constrainedMemory?.()): string {
  const available = availableMemory(totalBytes, constrainedBytes);
  return `${Math.max(128, Math.floor((available * DEFAULT_MEMORY_SHARE) / 2 ** 20))}MiB`;
}

/**
 * The memory this process may use: the machine's, or its container's when smaller (the cgroup
 * limit Node reads; Node reports an absurdly large number where there is none).
 *
 * @example
 * availableMemory(24 * 2 ** 30, 2 ** 30); // 1073741824: a 1 GiB container on a 24 GiB machine
 */
export function availableMemory(totalBytes: number = totalmem(), constrainedBytes: number | undefined = process.constrainedMemory?.()): number {
  return constrainedBytes && constrainedBytes > 0 && constrainedBytes < totalBytes ? constrainedBytes : totalBytes;
}
