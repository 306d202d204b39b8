import { fileURLToPath } from 'node:url';
import type { AlertRecord } from '@twitch-pipeline/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, temporaryDataDir } from './support/cli-process';

/** The rules file the README's use case names for the simulator. */
const RULES_FILE = fileURLToPath(new URL('../../../libs/alerts/examples/simulator-alert-rules.json', import.meta.url));

/**
 * The newest 11:30 UTC before now: the day before it holds the simulated afternoon low and the
 * evening rise of Just Chatting (UTC), whatever the hour the test runs at, and its oldest
 * real-time items are under 48 hours old, within their TTL.
 */
const END = new Date(Math.floor((Date.now() - 41_400_000) / 86_400_000) * 86_400_000 + 41_400_000).toISOString().replace('.000Z', 'Z');

type Rows = Record<string, unknown>[];

// The streams whose viewers rose by the example's raid rule (×1.5 and +200) from the channel's
// previous sample, as the lake holds them: the alerts must name exactly these, whatever the
// simulated hours held.
const RAIDED_STREAMS = `
  WITH samples AS (
    SELECT nome_streamer, id_stream, coletado_em, espectadores,
           lag(id_stream) OVER (PARTITION BY nome_streamer ORDER BY coletado_em) AS id_anterior,
           lag(espectadores) OVER (PARTITION BY nome_streamer ORDER BY coletado_em) AS anteriores
    FROM silver_streams
  )
  SELECT DISTINCT id_stream FROM samples
  WHERE id_anterior = id_stream AND espectadores > anteriores
    AND espectadores - anteriores >= 200 AND espectadores >= 1.5 * anteriores
  ORDER BY id_stream`;

// Snapshots at which Just Chatting reached 15,000 viewers from below the snapshot before (the
// first snapshot is the rule's baseline: it has none before it).
const CROSSINGS = `
  WITH totals AS (
    SELECT coletado_em, sum(espectadores) AS total FROM silver_streams
    WHERE nome_categoria = 'Just Chatting' GROUP BY coletado_em
  ),
  paired AS (
    SELECT coletado_em, total, lag(total) OVER (ORDER BY coletado_em) AS before FROM totals
  )
  SELECT strftime(coletado_em, '%Y-%m-%dT%H:%M:%S') AS coletado FROM paired
  WHERE before < 15000 AND total >= 15000 ORDER BY coletado`;

describe('the simulator example of alert rules (README, use cases)', () => {
  let env: NodeJS.ProcessEnv;
  let alerts: AlertRecord[];

  beforeAll(async () => {
    const dataDir = await temporaryDataDir();
    env = cliEnv(dataDir);
    const backfill = ['backfill', '--hours', '24', '--channels', '10000', '--end', END, '--json'];
    jsonOf(await runCli(backfill, cliEnv(dataDir, { ALERT_RULES_FILE: RULES_FILE })));
    alerts = jsonOf<AlertRecord[]>(await runCli(['alerts', '--limit', '100000', '--json'], env));
  });

  it('raises an alert for every raid the simulated hours hold, and for no other stream', async () => {
    // act
    const raided = jsonOf<Rows>(await runCli(['query', RAIDED_STREAMS, '--format', 'json'], env)).map((row) => row.id_stream);

    // assess
    const alerted = alerts.filter((alert) => alert.rule === 'raids').map((alert) => alert.id_stream);
    expect(alerted.sort()).toEqual(raided);
  });

  it('raises the category alert at each upward crossing after the first snapshot, its baseline', async () => {
    // act
    const crossings = jsonOf<Rows>(await runCli(['query', CROSSINGS, '--format', 'json'], env)).map((row) => row.coletado);

    // assess: the evening rise crosses 15,000 at least once a simulated day
    expect(crossings.length).toBeGreaterThan(0);
    const alerted = alerts.filter((alert) => alert.rule === 'just chatting above 15k').map((alert) => alert.timestamp.slice(0, 19));
    expect(alerted.sort()).toEqual(crossings);
  });
});
