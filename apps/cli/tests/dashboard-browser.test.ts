import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, startCli, temporaryDataDir } from './support/cli-process';
import { browserTestGate, CHROMIUM_FLAGS } from './support/find-browser';

const OUTPUT_DIR = fileURLToPath(new URL('../test-output/', import.meta.url));
const SUITE = 'dashboard in headless Chromium';
// Skipped, with a printed reason, on a machine without a browser; CI sets REQUIRE_BROWSER_TESTS=1.
const browserGate = browserTestGate(SUITE);
/** Panels drawn as charts that a backfill with real-time data always fills. */
const CHART_PANELS = [
  'hours-by-category',
  'top-streamers-hours',
  'top-streamers-average',
  'language-by-period',
  'content-type-share',
  'audience-segments',
  'rising-categories',
  'rising-streamers',
  'live-now-chart',
];
/** The jump rule trips in any few hours of simulated audience, so the alerts panel has rows. */
const RULES = {
  rules: [
    { name: 'any rise', type: 'viewer_jump', factor: 1.2, minIncrease: 1 },
    { name: 'chatting crowd', type: 'category_audience', category: 'Just Chatting', threshold: 1 },
  ],
};

interface PanelState {
  id: string;
  kind: string;
  rows: number;
  points: number | null;
  nonZero: boolean;
}

let dataDir: string;
let env: NodeJS.ProcessEnv;
let browser: Browser;

describe.skipIf(browserGate.skip)(SUITE, () => {
  beforeAll(async () => {
    const executablePath = browserGate.executablePath();
    dataDir = await temporaryDataDir();
    const rulesFile = join(dataDir, 'rules.json');
    await writeFile(rulesFile, JSON.stringify(RULES));
    env = cliEnv(dataDir, { ALERT_RULES_FILE: rulesFile });
    // Four days (the trends compare a day with the days before it), ending now so that the
    // real-time items are within their TTL; the last hours every 30 minutes for the alerts.
    jsonOf(await runCli(['backfill', '--hours', '96', '--interval', '4h', '--realtime', 'none', '--channels', '800', '--json'], env));
    jsonOf(await runCli(['backfill', '--hours', '2', '--channels', '800', '--json'], env));
    browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws every chart with data, without console errors, served on 127.0.0.1', async () => {
    // prepare
    const server = await startCli(['dashboard', '--serve', '--port', '0', '--json'], env);
    const { url } = JSON.parse(server.firstOutput) as { url: string };
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    // act
    await page.goto(url);
    await page.waitForFunction(() => 'dashboard' in window);
    const panels = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById('dashboard-data')!.textContent!) as { panels: { id: string; kind: string; rows: unknown[] }[] };
      const charts = (window as unknown as { dashboard: { charts: Record<string, { data: { datasets: { data: number[] }[] } }> } }).dashboard.charts;
      return data.panels.map((panel) => {
        const chart = charts[panel.id];
        const values = chart ? chart.data.datasets.flatMap((dataset) => dataset.data) : [];
        return { id: panel.id, kind: panel.kind, rows: panel.rows.length, points: chart ? values.length : null, nonZero: values.some((value) => value > 0) };
      });
    });
    // Sums stack; the audience segments' averages stand side by side.
    const stacking = await page.evaluate(() => {
      const charts = (window as unknown as { dashboard: { charts: Record<string, { config: { type: string }; options: { scales: { y: { stacked: boolean } } } }> } }).dashboard.charts;
      return Object.fromEntries(['language-by-period', 'audience-segments'].map((id) => [id, [charts[id]!.config.type, charts[id]!.options.scales.y.stacked]]));
    });
    const heatCells = await page.locator('#best-times tbody td').count();
    const shaded = await page.locator('#best-times tbody td[style*="background"]').count();
    await mkdir(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUTPUT_DIR, 'dashboard.png'), fullPage: true });
    await page.locator('#rising-categories').screenshot({ path: join(OUTPUT_DIR, 'rising-categories.png') });
    await page.locator('#best-times').screenshot({ path: join(OUTPUT_DIR, 'best-times.png') });
    await page.locator('#alerts').screenshot({ path: join(OUTPUT_DIR, 'alerts.png') });
    const exitCode = await server.interrupt();
    // assess
    const byId = new Map(panels.map((panel: PanelState) => [panel.id, panel]));
    for (const id of CHART_PANELS) expect(byId.get(id), id).toMatchObject({ points: expect.any(Number), nonZero: true });
    expect(stacking).toEqual({ 'language-by-period': ['bar', true], 'audience-segments': ['bar', false] });
    for (const panel of panels.filter((candidate: PanelState) => candidate.rows > 0 && !['table', 'stats', 'heatmap'].includes(candidate.kind))) {
      expect(panel.points, panel.id).toBeGreaterThan(0);
    }
    expect(await page.locator('canvas').count()).toBe(panels.filter((panel: PanelState) => panel.points !== null).length);
    expect(await page.locator('#live-now tbody tr').count()).toBeGreaterThan(0);
    expect(heatCells).toBeGreaterThanOrEqual(6 * 2);
    expect(shaded).toBe(heatCells);
    expect(await page.locator('#alerts tbody tr').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('writes a self-contained page that needs no network', async () => {
    // prepare
    const out = join(dataDir, 'report', 'dashboard.html');
    // act
    const written = jsonOf<{ file: string }>(await runCli(['dashboard', '--out', out, '--json'], env));
    const html = await readFile(written.file, 'utf8');
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(written.file).href);
    await page.waitForFunction(() => 'dashboard' in window);
    // assess
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(requests.filter((request) => !request.startsWith('file://') && !request.startsWith('data:'))).toEqual([]);
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(CHART_PANELS.length);
  });

  it('says what an empty panel needs: the rising panels of a lake of one snapshot ask for history, the others for a run', async () => {
    // prepare
    const oneSnapshot = await temporaryDataDir();
    const oneEnv = cliEnv(oneSnapshot);
    jsonOf(await runCli(['run', '--at', '2026-11-29T21:30:00Z', '--channels', '300', '--json'], oneEnv));
    const written = jsonOf<{ file: string }>(await runCli(['dashboard', '--out', join(oneSnapshot, 'dashboard.html'), '--json'], oneEnv));
    const page = await browser.newPage();

    // act
    await page.goto(pathToFileURL(written.file).href);
    await page.waitForFunction(() => 'dashboard' in window);
    const texts = await page.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll('section .empty')).map((element) => [element.closest('section')!.id, element.textContent])));

    // assess
    expect(texts['rising-categories']).toMatch(/^No day to rank yet: a day's hours are set against the days before it, so this needs categories/);
    expect(texts['rising-streamers']).toMatch(/^No day to rank yet: .* this needs channels/);
    expect(texts.alerts).toMatch(/^No data yet: run/);
  });
});
