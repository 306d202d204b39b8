import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardData, PanelData } from '../src/dashboard/model';
import { dashboardHtml } from '../src/dashboard/page';
import type { ChannelProfile } from '../src/profiles/channel-profile';
import { profileHtml } from '../src/profiles/profile-page';
import { CHART_PANELS } from './support/chart-panels';
import { temporaryDataDir } from './support/cli-process';
import { backdropOf, blend, contrast, lightness } from './support/contrast';
import { browserTestGate, CHROMIUM_FLAGS } from './support/find-browser';

const SUITE = 'the pages in a light and a dark colour scheme, in headless Chromium';
const browserGate = browserTestGate(SUITE);

/** A panel of every kind, the heat-map with every shade from none to the maximum. */
const PANELS: PanelData[] = [
  { id: 'figures', title: 'Data freshness', subtitle: 'stats', kind: 'stats', width: 2, columns: ['label', 'value', 'detail'], rows: [['bronze', '2026-12-07', '48 snapshots']] },
  ...CHART_PANELS,
  { id: 'live', title: 'Live now', subtitle: 'a table', kind: 'table', columns: ['channel', 'viewers', 'title'], rows: [['gaules', 1000, 'ranked games']] },
  { id: 'nothing', title: 'Rising channels', subtitle: 'empty', kind: 'table', columns: [], rows: [] },
];

/** A channel live every day at every hour, so its heat-map holds every shade. */
const PROFILE: ChannelProfile = {
  kind: 'channel',
  login: 'gaules',
  range: { from: '2026-12-01', to: '2026-12-07' },
  summary: { horas_transmitidas: 40, dias_ao_vivo: 7, horas_assistidas: 9000, media_espectadores: 225, pico_espectadores: 900, transmissoes: 7 },
  categories: [{ nome_categoria: 'Counter-Strike', tipo_conteudo: 'Game', horas_transmitidas: 40, pct_tempo_no_ar: 100, horas_assistidas: 9000, pct_horas_assistidas: 100 }],
  heatmap: Array.from({ length: 7 * 24 }, (_, index) => ({ dia_semana: (index % 7) + 1, hora_dia: Math.floor(index / 7), media_espectadores: index * 5 })),
  trend: [{ data: '2026-12-07', media_espectadores: 225, pico_espectadores: 900 }],
  languages: [{ idioma: 'pt' }],
  rank: null,
  lastSample: null,
};

let browser: Browser;
let folder: string;
const files: Record<string, string> = {};

async function open(file: string, colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme });
  await page.goto(pathToFileURL(files[file]!).href);
  await page.waitForFunction(() => 'dashboard' in window);
  return page;
}

/** Each element holding text of its own: its colour and the backgrounds behind it, innermost first. */
function texts(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('h1, header p, h2, .panel > p, th, td, .stat span, .stat strong, .stat small, summary, .empty'))
      .filter((element) => element.textContent?.trim())
      .map((element) => {
        const layers: string[] = [];
        for (let node: Element | null = element; node; node = node.parentElement) layers.push(getComputedStyle(node).backgroundColor);
        return { text: element.textContent!.slice(0, 30), color: getComputedStyle(element).color, layers };
      }),
  );
}

/** The colours each chart draws its text and lines in, with the panel it is drawn on. */
function chartColours(page: Page) {
  return page.evaluate(() => {
    type Drawn = { scales: Record<string, { options: { ticks: { color: string }; title: { color: string }; grid: { color: string } } }>; legend?: { options: { labels: { color: string } } } };
    const charts = (window as unknown as { dashboard: { charts: Record<string, Drawn> } }).dashboard.charts;
    return Object.entries(charts).map(([id, chart]) => ({
      id,
      panel: getComputedStyle(document.getElementById(id)!).backgroundColor,
      text: [...Object.values(chart.scales).flatMap((scale) => [scale.options.ticks.color, scale.options.title.color]), ...(chart.legend ? [chart.legend.options.labels.color] : [])],
      grid: Object.values(chart.scales).map((scale) => scale.options.grid.color),
    }));
  });
}

describe.skipIf(browserGate.skip)(SUITE, () => {
  beforeAll(async () => {
    folder = await temporaryDataDir();
    const data: DashboardData = { generatedAt: '2026-12-07T12:00:00.000Z', dataDir: 'data', timeZone: 'UTC', panels: PANELS };
    files.dashboard = join(folder, 'dashboard.html');
    files.profile = join(folder, 'gaules.html');
    await writeFile(files.dashboard, await dashboardHtml(data));
    await writeFile(files.profile, await profileHtml(PROFILE, { timeZone: 'UTC', now: new Date('2026-12-07T12:00:00Z') }));
    browser = await chromium.launch({ executablePath: browserGate.executablePath(), args: CHROMIUM_FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it.each([
    { file: 'dashboard', scheme: 'light' as const },
    { file: 'dashboard', scheme: 'dark' as const },
    { file: 'profile', scheme: 'light' as const },
    { file: 'profile', scheme: 'dark' as const },
  ])('draws the $file page in the $scheme scheme, every text at 4.5:1 or more, heat-map numbers included', async ({ file, scheme }) => {
    // prepare
    const page = await open(file, scheme);

    // act
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const shown = await texts(page);
    const heatCells = await page.locator('.heatmap tbody td').count();
    await page.close();

    // assess
    expect(scheme === 'dark' ? lightness(background) < 0.05 : lightness(background) > 0.8, `page background ${background}`).toBe(true);
    expect(heatCells).toBeGreaterThanOrEqual(24);
    for (const { text, color, layers } of shown) {
      expect(contrast(color, backdropOf(layers)), `"${text}" ${color} on ${layers.join(' over ')}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('draws the charts of the dark scheme in light text and grid lines on its dark panels', async () => {
    // prepare
    const page = await open('dashboard', 'dark');

    // act
    const charts = await chartColours(page);
    await page.close();

    // assess
    expect(charts.map(({ id }) => id)).toEqual(['lines', 'bars', 'share']);
    for (const { id, panel, text, grid } of charts) {
      for (const color of text) expect(contrast(color, panel), `${id}: text ${color} on ${panel}`).toBeGreaterThanOrEqual(4.5);
      // A grid line darker than the dark panel would not show.
      for (const color of grid) expect(lightness(`rgb(${blend(color, panel).join(', ')})`), `${id}: grid ${color} on ${panel}`).toBeGreaterThan(lightness(panel));
    }
  });

  it('prints light from a screen in the dark scheme, charts and heat-map included', async () => {
    // prepare
    const page = await open('dashboard', 'dark');

    // act
    await page.emulateMedia({ media: 'print' });
    // A browser reports a media change at its next frame, before that frame's callbacks.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const shown = await texts(page);
    const charts = await chartColours(page);
    await page.close();

    // assess
    expect(lightness(background), `printed background ${background}`).toBeGreaterThan(0.8);
    for (const { text, color, layers } of shown) expect(contrast(color, backdropOf(layers)), `"${text}" ${color}`).toBeGreaterThanOrEqual(4.5);
    for (const { id, panel, text } of charts) {
      for (const color of text) expect(contrast(color, panel), `${id}: printed text ${color} on ${panel}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
