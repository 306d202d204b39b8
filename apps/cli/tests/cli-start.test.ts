import { describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, temporaryDataDir } from './support/cli-process';

interface DemoJson {
  snapshots: number;
  channels: number;
  topCategories: { category: string; hours: number }[];
  topChannels: { channel: string; hours: number }[];
  contentShare: { type: string; percent: number }[];
  rows: Record<string, number>;
  goldWatchHours: number;
  trueWatchHours: number;
  errorPercent: number;
}

describe('twitch-pipeline start (the demo behind npm start)', () => {
  it('runs 24 simulated hours through every layer and compares gold with the ground truth', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());
    // act
    const text = await runCli(['start', '--channels', '300'], env);
    const again = jsonOf<DemoJson>(await runCli(['start', '--channels', '300', '--json'], env));
    // assess
    expect(text.code).toBe(0);
    expect(text.stderr).toContain('No Twitch credentials');
    expect(text.stderr).toContain('300 channels live on average');
    for (const heading of ['Top categories by hours watched', 'Top channels by hours watched', 'Game vs non-game', 'Rows per layer', 'Accuracy']) {
      expect(text.stdout).toContain(heading);
    }
    expect(text.stdout).toContain('npm run twitch-pipeline -- query');
    expect(text.stdout).toContain('npm run twitch-pipeline -- dashboard');
    expect(again.snapshots).toBe(48);
    expect(again.topCategories.length).toBeGreaterThan(0);
    expect(again.contentShare.reduce((sum, share) => sum + share.percent, 0)).toBeCloseTo(100, 6);
    expect(again.rows.bronze).toBe(again.rows.silver! + again.rows.quarantined_at_silver!);
    expect(again.rows.published).toBe(again.rows.consumed);
    expect(again.rows.realtime_events).toBe(again.rows.consumed);
    expect(again.trueWatchHours).toBeGreaterThan(0);
    expect(Math.abs(again.errorPercent)).toBeLessThan(25);
  });
});
