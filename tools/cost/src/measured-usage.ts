import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What one pipeline run did, measured on a machine, for one workload. */
export interface RunUsage {
  /** Where the figures come from: command, machine and date. */
  source: string;
  /** Live streams one run collects. */
  streams: number;
  /** Wall time of each step in the local run, in milliseconds. */
  stepsMs: { extract: number; publish: number; consume: number; silver: number; gold: number };
  /** Helix requests of the extract. */
  helixRequests: number;
  /** Bytes one run adds to bronze and silver, and one day's gold partitions. */
  bronzeBytes: number;
  silverBytes: number;
  goldBytesPerDay: number;
}

/**
 * The S3 requests of one cycle as AWS runs it, by how S3 bills them, on a young lake (every listing
 * one page). The same for both workloads: a run writes and lists the same objects whatever the
 * number of streams in them.
 */
export interface S3RequestUsage {
  /** Where the figures come from: command, machine and date. */
  source: string;
  /** The schedule's interval of the runs measured: gold reads the day's silver objects, as many as runs so far. */
  intervalMinutes: number;
  /** PUT, COPY, POST and LIST requests. */
  putOrListPerRun: number;
  /** GET and HEAD requests. */
  getPerRun: number;
}

/** The measured usage of the two workloads the deploy guide prices. */
export interface MeasuredUsage {
  original: RunUsage;
  fullPlatform: RunUsage;
  /** Recorded with `npx tsx tools/cost/src/measure-requests.ts --write`. */
  s3Requests: S3RequestUsage;
}

/** The committed measurements (record the original workload's with `npx nx run cost:measure -- --write`). */
export const MEASURED_USAGE_FILE = fileURLToPath(new URL('../measured-usage.json', import.meta.url));

/**
 * Reads the committed per-run measurements.
 *
 * @example
 * readMeasuredUsage().original.streams; // 300
 */
export function readMeasuredUsage(file = MEASURED_USAGE_FILE): MeasuredUsage {
  return JSON.parse(readFileSync(file, 'utf8')) as MeasuredUsage;
}
