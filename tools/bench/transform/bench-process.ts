import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** What `run-cycle.ts` prints: one silver + gold cycle measured in its own process. */
export interface CycleResult {
  silverSeconds: number;
  goldSeconds: number;
  totalSeconds: number;
  silverCpuSeconds: number;
  totalCpuSeconds: number;
  silverSystemSeconds: number;
  totalSystemSeconds: number;
  silverMinorFaults: number;
  totalMinorFaults: number;
  peakRssMb: number;
  objects: number;
  failed: number;
  rowsIn: number;
  rowsOut: number;
  quarantined: number;
  goldRows: Record<string, number>;
}

/**
 * Runs one of this folder's child scripts in a fresh process and returns the JSON of its last
 * line, so that what it measures (peak RSS, CPU, page faults) covers that script alone.
 *
 * @example
 * const cycle = runBenchProcess<CycleResult>('run-cycle.ts', ['/tmp/lake']);
 * console.log(cycle.totalSeconds);
 */
export function runBenchProcess<T>(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): T {
  const output = execFileSync('npx', ['tsx', join(import.meta.dirname, script), ...args], { encoding: 'utf8', env });
  return JSON.parse(output.trim().split('\n').at(-1)!) as T;
}
