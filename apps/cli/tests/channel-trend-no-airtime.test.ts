import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { cliEnv, jsonOf, runInProcess, temporaryDataDir } from './support/cli-process';

interface TrendRow {
  data: string;
  media_espectadores: number | null;
  pico_espectadores: number;
  horas_transmitidas: number;
}

// São Paulo time: 22:00 and 23:00 on the 29th, then the newest snapshot at 00:00 on the 30th.
const DAY = '2026-11-30';
let env: NodeJS.ProcessEnv;
let dataDir: string;
let login: string;

describe("a channel's day whose only sample is the newest snapshot, taken at midnight", () => {
  beforeAll(async () => {
    dataDir = await temporaryDataDir();
    env = cliEnv(dataDir, { PIPELINE_TIMEZONE: 'America/Sao_Paulo' });
    const backfill = ['backfill', '--hours', '3', '--interval', '1h', '--end', '2026-11-30T03:00:00Z', '--channels', '100', '--realtime', 'none'];
    expect((await runInProcess(backfill, env)).code).toBe(0);
    const query = `SELECT nome_streamer FROM gold_streamers_diario WHERE data = DATE '${DAY}' ORDER BY pico_espectadores DESC, nome_streamer LIMIT 1`;
    const [busiest] = jsonOf<{ nome_streamer: string }[]>(await runInProcess(['query', query, '--json'], env));
    login = busiest!.nome_streamer;
  });

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('has no average viewers in the trend, rather than 0 beside its peak', async () => {
    // act
    const profile = jsonOf<{ trend: TrendRow[] }>(await runInProcess(['channel', login, '--json'], env));
    const text = (await runInProcess(['channel', login], env)).stdout;

    // assess: the day is there with its peak and no minutes, and the average says it has none
    const day = profile.trend.find((row) => row.data === DAY);
    expect(day).toMatchObject({ horas_transmitidas: 0, media_espectadores: null });
    expect(day!.pico_espectadores).toBeGreaterThan(0);
    expect(text).toMatch(new RegExp(`│ ${DAY} │ +│`));
    expect(profile.trend.find((row) => row.data === '2026-11-29')!.media_espectadores).toBeGreaterThan(0);
  });
});
