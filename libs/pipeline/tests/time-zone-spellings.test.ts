import { withEngine } from '@twitch-pipeline/duckdb';
import { type LocalTime, localTimesOf } from '@twitch-pipeline/features';
import { loadConfig } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';

// The configuration checks PIPELINE_TIMEZONE with Node's Intl, while bronze `dt`, silver and gold
// date rows with DuckDB's ICU. Each spelling of one zone the configuration accepts (another case,
// a link, an alias of UTC) must date every instant as the zone's own name does; otherwise one
// lake would hold two calendars of the same zone.
const SPELLINGS: Record<string, string[]> = {
  'Asia/Tokyo': ['asia/tokyo', 'ASIA/TOKYO'],
  'America/New_York': ['US/Eastern', 'us/eastern'],
  'America/Sao_Paulo': ['america/sao_paulo', 'Brazil/East'],
  UTC: ['utc', 'Etc/UTC', 'etc/utc', 'Etc/Universal', 'Zulu', 'GMT'],
};

// Every hour of the days around the 2026 daylight-saving changes of New York (8 March,
// 1 November), plus 04:30 UTC on each day of 2026, when Tokyo, New York and São Paulo are on
// different local dates.
function instants(): Date[] {
  const hourly = ['2026-03-07', '2026-03-08', '2026-03-09', '2026-10-31', '2026-11-01', '2026-11-02'].flatMap((day) =>
    Array.from({ length: 24 }, (_, hour) => new Date(Date.parse(`${day}T00:30:00.000Z`) + hour * 3_600_000)),
  );
  const daily = Array.from({ length: 365 }, (_, day) => new Date(Date.UTC(2026, 0, 1, 4, 30) + day * 86_400_000));
  return [...hourly, ...daily];
}

describe('spellings of one time zone', () => {
  it('are accepted by the configuration and date every instant as the zone itself in DuckDB', async () => {
    // prepare
    const at = instants();
    // act
    const dated = await withEngine({ threads: 1 }, async (engine) => {
      const byZone = new Map<string, { configured: string; times: LocalTime[] }[]>();
      for (const [zone, others] of Object.entries(SPELLINGS)) {
        const rows = [];
        for (const spelling of [zone, ...others]) {
          const configured = loadConfig({ PIPELINE_TIMEZONE: spelling }).timeZone;
          rows.push({ configured, times: await localTimesOf(engine, at, configured) });
        }
        byZone.set(zone, rows);
      }
      return byZone;
    });
    // assess
    for (const [zone, rows] of dated) {
      const [own, ...others] = rows;
      expect(own!.configured).toBe(zone);
      for (const other of others) expect({ zone, configured: other.configured, times: other.times }).toEqual({ zone, configured: other.configured, times: own!.times });
    }
  });
});
