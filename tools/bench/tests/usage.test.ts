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

/** Runs a benchmark script as its docs do (`npx tsx tools/bench/<script> …` from the clone) and returns how it ended; a relative lake is in a scratch folder. */
function runScript(script: string, args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const inScratch = args.map((arg, index) => (index === 0 ? join(scratch, arg) : arg));
    execFile(process.execPath, ['--import', 'tsx', join('tools', 'bench', script), ...inScratch], { cwd: ROOT }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stderr });
    });
  });
}

describe('a benchmark given a wrong command line', () => {
  it.each([
    ['transform/gold-profile.ts', [], 'missing <lake-directory>'],
    ['transform/gold-profile.ts', ['no-such-lake'], 'no silver under'],
    ['transform/estimate-first-touch.ts', [], 'missing <lake-directory>'],
    ['transform/estimate-first-touch.ts', ['no-such-lake'], 'no silver under'],
    ['transform/gold-only.ts', [], 'missing <lake-directory>'],
    ['transform/gold-only.ts', ['lake', 'many'], 'snapshots must be a whole number above 0, not "many"'],
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
