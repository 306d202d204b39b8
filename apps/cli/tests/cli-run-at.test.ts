import { describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, temporaryDataDir } from './support/cli-process';

describe('run --at', () => {
  it('collects the slot its time falls in, as a scheduled cycle names it', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const cycle = jsonOf<{ status: string; snapshots: string[] }>(await runCli(['run', '--at', '2026-11-29T12:10:00Z', '--channels', '200', '--json'], env));

    // assess
    expect(cycle.status).toBe('ok');
    expect(cycle.snapshots).toEqual(['20261129T120000Z']);
  });
});
