import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'bench-usage-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Runs a benchmark script with the clone's tsx, as its docs do, from a scratch folder where the lakes named do not exist. */
function runScript(script: string, args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'tools', 'bench', script), ...args], { cwd: scratch }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stderr });
    });
  });
}

describe('a benchmark given a wrong command line', () => {
  it.each([
    ['transform/gold-profile.ts', [], 'missing <lake-directory>'],
    ['transform/gold-profile.ts', ['no-such-lake'], 'no silver under no-such-lake'],
    ['transform/estimate-first-touch.ts', [], 'missing <lake-directory>'],
    ['transform/estimate-first-touch.ts', ['no-such-lake'], 'no silver under no-such-lake'],
    ['transform/gold-only.ts', [], 'missing <lake-directory>'],
    ['transform/gold-only.ts', ['lake', 'many'], 'snapshots must be a whole number above 0, not "many"'],
    ['transform/floor-ratio.ts', ['48', '95000', 'three'], 'rounds must be a whole number above 0, not "three"'],
    ['transform/incremental-cycle.ts', ['0'], 'snapshots must be a whole number above 0, not "0"'],
    ['transform/full-day.ts', ['48', '1.5'], 'streams-per-snapshot must be a whole number above 0, not "1.5"'],
    ['profiles/profile-30-days.ts', ['thirty'], 'days must be a whole number above 0, not "thirty"'],
    ['cli/long-history.ts', ['168', '-1'], 'channels must be a whole number above 0, not "-1"'],
    ['cli/full-realtime-table.ts', [], 'missing <folder>'],
    ['cli/full-realtime-table.ts', ['full-rt', 'x'], 'snapshots must be a whole number above 0, not "x"'],
    ['cli/query-export.ts', ['xml'], 'no format "xml"'],
    ['cli/housekeeping.ts', [], 'missing <checkout> or <data-dir>'],
    ['cli/housekeeping.ts', ['.', 'no-such-data'], 'no real-time table in no-such-data'],
    ['cli/query-export.ts', ['csv', '16', 'no-such-data'], 'no data directory no-such-data'],
    ['ingestion/crawl-bench.ts', ['--language', 'pt'], "Unknown option '--language'"],
    ['ingestion/crawl-bench.ts', ['--channels', 'all'], '--channels must be a whole number above 0, not "all"'],
    ['faults/fault-day.ts', ['--each', '4'], '--each is at most 3'],
    ['faults/fault-day.ts', ['--seed'], "Option '--seed <value>' argument missing"],
    ['realtime/local-path.ts', ['--streams', 'x'], '--streams must be a whole number above 0, not "x"'],
    ['realtime/local-path.ts', ['--alert-rules', 'no-such-rules.json'], 'no alert rules file no-such-rules.json'],
    ['realtime/dynamo-consumer.ts', ['--event', '100'], "Unknown option '--event'"],
    ['accuracy/hours-watched.ts', ['2000', '7', '30', 'long'], 'no population shape "long"'],
    ['accuracy/hours-watched.ts', ['2000', '7', '15,half'], 'each interval must be a whole number above 0, not "half"'],
  ])('%s %j stops with what was wrong and its usage, exit code 2', async (script, args, problem) => {
    // act
    const { code, stderr } = await runScript(script, args);

    // assess
    expect(code).toBe(2);
    expect(stderr).toContain(problem);
    expect(stderr).toContain(`usage: npx tsx tools/bench/${script}`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
