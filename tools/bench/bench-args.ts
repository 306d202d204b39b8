import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Stops a benchmark whose command line is wrong, before it generates or builds anything: what was
 * wrong and the usage line on stderr, exit code 2. A thrown error would print a stack trace into
 * the script instead, and a count that is not a number would run on as NaN.
 *
 * @example
 * if (!lake) exitWithUsage(USAGE, 'missing <lake-directory>');
 */
export function exitWithUsage(usage: string, problem: string): never {
  process.stderr.write(`${problem}\nusage: ${usage}\n`);
  process.exit(2);
}

/**
 * A positional count (snapshots, streams, runs, days…): a whole number above zero, or `fallback`
 * when the argument is not given.
 *
 * @example
 * const runs = countArgument(process.argv[4], 3, 'runs', USAGE);
 */
export function countArgument(value: string | undefined, fallback: number, name: string, usage: string): number {
  if (value === undefined) return fallback;
  const count = Number(value);
  if (!Number.isInteger(count) || count <= 0) exitWithUsage(usage, `${name} must be a whole number above 0, not "${value}"`);
  return count;
}

/**
 * The command line parsed by `parse` (node:util's parseArgs, which throws on an unknown option or
 * a missing value), or the usage when it throws.
 *
 * @example
 * const { values } = parsedOrUsage(() => parseArgs({ options: { seed: { type: 'string' } } }), USAGE);
 */
export function parsedOrUsage<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (error) {
    exitWithUsage(usage, error instanceof Error ? error.message : String(error));
  }
}

/**
 * A lake whose silver is already built (gold-only.ts leaves one) and its dates, or the usage when
 * `lake` is not given or holds no silver.
 *
 * @example
 * const { lake, dates } = await silverLakeOrUsage(process.argv[2], USAGE);
 */
export async function silverLakeOrUsage(lake: string | undefined, usage: string): Promise<{ lake: string; dates: string[] }> {
  if (!lake) exitWithUsage(usage, 'missing <lake-directory>');
  const folders = await readdir(join(lake, 'silver', 'streams')).catch(() => []);
  const dates = folders.filter((name) => name.startsWith('dt=')).map((name) => name.replace('dt=', ''));
  if (dates.length === 0) exitWithUsage(usage, `no silver under ${lake}: build the lake first, e.g. npx tsx tools/bench/transform/gold-only.ts ${lake} 48 95000 1`);
  return { lake, dates };
}
