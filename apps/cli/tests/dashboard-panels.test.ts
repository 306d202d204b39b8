import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_PANELS } from '../src/dashboard/panels';
import { LakeSession } from '../src/lake/lake-session';
import { cliEnv, jsonOf, runCli, temporaryDataDir } from './support/cli-process';

let dataDir: string;

describe('the hours-by-category panel', () => {
  beforeAll(async () => {
    dataDir = await temporaryDataDir();
    jsonOf(await runCli(['backfill', '--hours', '24', '--end', '2026-11-30T21:00Z', '--realtime', 'none', '--channels', '4000', '--json'], cliEnv(dataDir)));
  });

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the same hours on every load, the exact sums of silver rounded', async () => {
    // prepare: sums of doubles depend on the order DuckDB's threads add them in, and rounded to
    // 0.1 a few of the panel's values changed from one load to the next
    const panel = DASHBOARD_PANELS.find((candidate) => candidate.id === 'hours-by-category')!;
    const session = await LakeSession.open(dataDir);
    try {
      const exact = await session.query(`
        SELECT strftime(date_trunc('hour', coletado_em), '%m-%d %H:00') AS x, nome_categoria AS series,
               round(CAST(sum(CAST(horas_assistidas AS DECIMAL(38, 9))) AS DOUBLE), 1) AS y
        FROM silver_streams GROUP BY 1, 2`);
      const expected = new Map(exact.rows.map(([x, series, y]) => [`${x}|${series}`, y]));

      // act
      const loads = [];
      for (let load = 0; load < 5; load += 1) loads.push((await session.query(panel.sql)).rows);

      // assess
      expect(loads[0]!.length).toBeGreaterThan(100);
      for (const rows of loads) expect(rows).toEqual(loads[0]);
      for (const [x, series, y] of loads[0]!) expect(y, `${x} ${series}`).toBe(expected.get(`${x}|${series}`));
    } finally {
      await session.close();
    }
  });
});
