import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MEASURED_USAGE_FILE } from '../src/measured-usage';

const SCRIPT = fileURLToPath(new URL('../src/measure-run.ts', import.meta.url));

describe('cost:measure', () => {
  it('measures one cycle of the original workload and prints its estimate, leaving the recorded measurement as it was', () => {
    // prepare
    const recorded = readFileSync(MEASURED_USAGE_FILE, 'utf8');
    // act: a real local run against the built-in simulator
    const measure = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT], { encoding: 'utf8', timeout: 120_000 });
    // assess
    expect(measure.status, measure.stderr).toBe(0);
    const usage = JSON.parse(measure.stdout.slice(0, measure.stdout.indexOf('\n}\n') + 2));
    expect(usage).toMatchObject({ streams: 300, helixRequests: 3 });
    for (const step of ['extract', 'publish', 'consume', 'silver', 'gold']) expect(usage.stepsMs[step]).toBeGreaterThan(0);
    expect(Math.min(usage.bronzeBytes, usage.silverBytes, usage.goldBytesPerDay)).toBeGreaterThan(0);
    expect(measure.stdout).toMatch(/\| \*\*total\*\* \| \| \| \*\*\$\d+\.\d\d\*\* \|/);
    expect(measure.stdout).toContain('measured-usage.json is unchanged');
    expect(readFileSync(MEASURED_USAGE_FILE, 'utf8')).toBe(recorded);
  });
});
