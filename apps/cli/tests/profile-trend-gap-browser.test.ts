import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelProfile } from '../src/profiles/channel-profile';
import { profileHtml } from '../src/profiles/profile-page';
import { temporaryDataDir } from './support/cli-process';
import { browserTestGate, CHROMIUM_FLAGS } from './support/find-browser';

const SUITE = "a profile page's day without a figure, in headless Chromium";
const browserGate = browserTestGate(SUITE);

let browser: Browser;
let folder: string;

describe.skipIf(browserGate.skip)(SUITE, () => {
  beforeAll(async () => {
    folder = await temporaryDataDir();
    browser = await chromium.launch({ executablePath: browserGate.executablePath(), args: CHROMIUM_FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('draws a null average of the by-day chart as a gap and a blank cell, as the terminal does, not as 0 viewers', async () => {
    // prepare: the 30th's only sample is the newest snapshot, taken at midnight (channel_trend's average is then null)
    const profile: ChannelProfile = {
      kind: 'channel',
      login: 'canal',
      range: { from: '2026-11-29', to: '2026-11-30' },
      summary: { dias_ao_vivo: 2, horas_transmitidas: 3, horas_assistidas: 2499, media_espectadores: 833, pico_espectadores: 896, transmissoes: 2 },
      categories: [],
      heatmap: [],
      trend: [
        { data: '2026-11-29', media_espectadores: 833, pico_espectadores: 896, horas_transmitidas: 3, horas_assistidas: 2499, transmissoes: 1 },
        { data: '2026-11-30', media_espectadores: null, pico_espectadores: 896, horas_transmitidas: 0, horas_assistidas: 0, transmissoes: 1 },
      ],
      languages: [],
      rank: null,
      lastSample: null,
    };
    const file = join(folder, 'channel.html');
    await writeFile(file, await profileHtml(profile, { timeZone: 'America/Sao_Paulo', now: new Date('2026-11-30T03:05:00Z') }));
    const page = await browser.newPage();

    // act
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => 'dashboard' in window);
    const drawn = await page.evaluate(() => {
      const chart = (window as unknown as { dashboard: { charts: Record<string, { data: { datasets: { label: string; data: unknown[] }[] } }> } }).dashboard.charts.trend!;
      return chart.data.datasets.map((dataset) => [dataset.label, dataset.data]);
    });
    const cells = await page.locator('#trend .chart-data tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.children, (cell) => cell.textContent)));

    // assess
    expect(drawn).toEqual([
      ['average viewers', [833, null]],
      ['peak viewers', [896, 896]],
    ]);
    expect(cells).toEqual([
      ['2026-11-29', '833', '896'],
      ['2026-11-30', '', '896'],
    ]);
  });
});
