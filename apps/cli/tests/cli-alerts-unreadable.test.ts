import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalAlertLog, localAlertsDirectory } from '@twitch-pipeline/alerts';
import { alertAt } from '@twitch-pipeline/alerts/testing';
import type { AlertRecord } from '@twitch-pipeline/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, temporaryDataDir } from './support/cli-process';


describe('twitch-pipeline alerts with a damaged alert record', () => {
  let env: NodeJS.ProcessEnv;
  let tornFile: string;

  beforeAll(async () => {
    // prepare: two delivered alerts, the newer one then cut short by hand
    const dataDir = await temporaryDataDir();
    env = cliEnv(dataDir);
    const directory = localAlertsDirectory({ dataDir });
    const log = new LocalAlertLog(directory);
    for (const record of [alertAt('2026-11-29T21:00:00.000Z', 's1'), alertAt('2026-11-29T22:00:00.000Z', 's2')]) {
      const before = new Set(await readdir(directory).catch(() => []));
      await log.claim(record, 30_000);
      await log.markDelivered(record);
      tornFile = (await readdir(directory)).find((name) => !before.has(name))!;
    }
    await writeFile(join(directory, tornFile), '{"rule":"live","type":"chan');
  });

  it('prints the readable alerts and names the damaged record on stderr, exit 0', async () => {
    // act
    const result = await runCli(['alerts'], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('gaules is live (s1)');
    expect(result.stdout).not.toContain('(s2)');
    expect(result.stderr).toMatch(new RegExp(`^warning: 1 unreadable alert record\\(s\\) left out of the list .*\\n  ${tornFile}: not JSON \\(.+\\)\\n$`));
  });

  it('answers a query of the alerts view without the damaged record, naming it, where one torn file failed every query', async () => {
    // act
    const result = await runCli(['query', 'SELECT id_stream FROM alerts ORDER BY id_stream', '--format', 'csv'], env);

    // assess
    expect([result.code, result.stdout]).toEqual([0, 'id_stream\ns1\n']);
    expect(result.stderr).toContain(`  ${tornFile}: not JSON (`);
  });

  it('keeps --json a list of the readable alerts and names the damaged record on stderr', async () => {
    // act
    const result = await runCli(['alerts', '--json'], env);

    // assess
    expect(result.code).toBe(0);
    expect(jsonOf<AlertRecord[]>(result).map((record) => record.id_stream)).toEqual(['s1']);
    expect(result.stderr).toContain(`  ${tornFile}: not JSON (`);
  });
});
