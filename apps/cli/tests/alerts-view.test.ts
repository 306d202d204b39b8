import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalAlertLog } from '@twitch-pipeline/alerts';
import { alertAt } from '@twitch-pipeline/alerts/testing';
import { withEngine } from '@twitch-pipeline/duckdb';
import { describe, expect, it } from 'vitest';
import { alertsViewStatement } from '../src/lake/views';


describe('alerts view', () => {
  it('lists delivered alerts only: a claim still pending (or left by a crash) is not an alert yet', async () => {
    // prepare
    const directory = await mkdtemp(join(tmpdir(), 'alerts-view-'));
    const log = new LocalAlertLog(directory);
    await log.claim(alertAt('2026-11-29T21:30:00.000Z', 's1'), 30_000);
    await log.markDelivered(alertAt('2026-11-29T21:30:00.000Z', 's1'));
    await log.claim(alertAt('2026-11-29T21:30:00.000Z', 's2'), 30_000);
    try {
      // act
      const rows = await withEngine({}, async (engine) => {
        await engine.run((await alertsViewStatement(directory)).sql);
        return engine.all('SELECT id_stream, rule, typeof(espectadores) AS viewers_type FROM alerts');
      });
      // assess: viewers are whole numbers, typed so (a DOUBLE printed 2291.0 in every CSV)
      expect(rows).toEqual([{ id_stream: 's1', rule: 'live', viewers_type: 'BIGINT' }]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reads a log whose folder name holds glob characters, and no other folder', async () => {
    // prepare: a sibling folder that the unescaped glob `alerts [a]*?` would match instead
    const parent = await mkdtemp(join(tmpdir(), 'alerts-view-'));
    const directory = join(parent, 'alerts [a]*?');
    for (const [folder, idStream] of [
      [directory, 's1'],
      [join(parent, 'alerts a xy'), 's2'],
    ] as const) {
      const log = new LocalAlertLog(folder);
      await log.claim(alertAt('2026-11-29T21:30:00.000Z', idStream), 30_000);
      await log.markDelivered(alertAt('2026-11-29T21:30:00.000Z', idStream));
    }
    try {
      // act
      const rows = await withEngine({}, async (engine) => {
        await engine.run((await alertsViewStatement(directory)).sql);
        return engine.all('SELECT id_stream FROM alerts');
      });
      // assess
      expect(rows).toEqual([{ id_stream: 's1' }]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
