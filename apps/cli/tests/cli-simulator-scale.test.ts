import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRunRecord } from '../src/runtime/cycle';
import { writeRunRecord } from '../src/runtime/runs-log';
import { directoryScale } from '../src/runtime/simulator-scale';
import { cliEnv, jsonOf, runCli, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

interface RunJson {
  status: string;
  rows: { bronze: number };
  simulator?: { channels: number; seed: number };
}

/** A small simulated history, as the demo leaves one at its own scale. */
async function simulatedDirectory(): Promise<NodeJS.ProcessEnv> {
  const env = cliEnv(await temporaryDataDir());
  const result = await runCli(['backfill', '--hours', '1', '--channels', '200', '--seed', '7', '--end', '2026-11-29T12:00:00Z', '--realtime', 'none', '--json'], env);
  expect(jsonOf<RunJson>(result).simulator).toEqual({ channels: 200, seed: 7 });
  return env;
}

describe("a simulated run in a data directory of earlier simulated runs", () => {
  it("continues at the directory's scale when no --channels or --seed is given, saying so", async () => {
    // prepare
    const env = await simulatedDirectory();

    // act
    const result = await runCli(['run', '--at', '2026-11-29T12:30:00Z', '--json'], env);

    // assess
    const cycle = jsonOf<RunJson>(result);
    expect(result.stderr).toContain("simulator at 200 channels, seed 7: the scale of this data directory's earlier runs (--channels/--seed to choose)\n");
    expect(cycle.status).toBe('ok');
    expect(cycle.simulator).toEqual({ channels: 200, seed: 7 });
    // 200 channels platform-wide give a few dozen streams in the configured languages; 95,000 give thousands.
    expect(cycle.rows.bronze).toBeGreaterThan(0);
    expect(cycle.rows.bronze).toBeLessThan(200);
  }, 90_000);

  it('collects at an explicit other scale, warning that the lake will mix two populations', async () => {
    // prepare
    const env = await simulatedDirectory();

    // act
    const result = await runCli(['backfill', '--hours', '1', '--channels', '300', '--end', '2026-11-29T14:00:00Z', '--realtime', 'none', '--json'], env);

    // assess
    expect(jsonOf<RunJson>(result).simulator).toEqual({ channels: 300, seed: 7 });
    expect(result.stderr).toContain(
      "warning: simulator at 300 channels, seed 7, but this data directory's earlier runs used 200 channels, seed 7: its lake will then mix two populations",
    );
    expect(result.stderr).not.toContain('the scale of this data directory');
  });
});

describe('directoryScale', () => {
  it('is unknown when the newest simulated run was recorded by a version that did not keep it', async () => {
    // prepare
    const runsDir = join(await temporaryDataDir(), 'runs');
    await writeRunRecord(runsDir, { ...newRunRecord('backfill', 'simulator', new Date('2026-11-29T10:00:00Z')), simulator: { channels: 200, seed: 7 } });
    await writeRunRecord(runsDir, newRunRecord('cycle', 'simulator', new Date('2026-11-29T11:00:00Z')));

    // act
    const scale = await directoryScale(runsDir);

    // assess
    expect(scale).toBeUndefined();
  });

  it('skips Twitch runs for the newest simulated one', async () => {
    // prepare
    const runsDir = join(await temporaryDataDir(), 'runs');
    await writeRunRecord(runsDir, { ...newRunRecord('backfill', 'simulator', new Date('2026-11-29T10:00:00Z')), simulator: { channels: 200, seed: 7 } });
    await writeRunRecord(runsDir, newRunRecord('cycle', 'twitch', new Date('2026-11-29T11:00:00Z')));

    // act
    const scale = await directoryScale(runsDir);

    // assess
    expect(scale).toEqual({ channels: 200, seed: 7 });
  });

  it('is unknown, not an error, when the run log cannot be read (a file where its folder should be)', async () => {
    // prepare
    const runsDir = join(await temporaryDataDir(), 'runs');
    await writeFile(runsDir, 'not a folder');

    // act
    const scale = await directoryScale(runsDir);

    // assess
    expect(scale).toBeUndefined();
  });
});
