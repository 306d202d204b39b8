import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardData, PanelData } from '../src/dashboard/model';
import { dashboardHtml } from '../src/dashboard/page';
import { CHART_PANELS } from './support/chart-panels';
import { temporaryDataDir } from './support/cli-process';
import { contrast } from './support/contrast';
import { browserTestGate, CHROMIUM_FLAGS } from './support/find-browser';

const SUITE = 'dashboard panels for a screen reader and a keyboard, in headless Chromium';
const browserGate = browserTestGate(SUITE);

/** One panel of each kind that draws a chart, a heat-map with every shade, and a table wider than a phone. */
const PANELS: PanelData[] = [
  ...CHART_PANELS,
  {
    id: 'wide',
    title: 'Live now',
    subtitle: 'a table wider than a phone',
    kind: 'table',
    columns: ['channel', 'title', 'viewers', 'category', 'language', 'started'],
    rows: [['gaules', 'a long title '.repeat(8), 1000, 'Counter-Strike', 'pt', '2026-12-06 10:00']],
  },
];

let browser: Browser;
let page: Page;
let folder: string;

describe.skipIf(browserGate.skip)(SUITE, () => {
  beforeAll(async () => {
    folder = await temporaryDataDir();
    const data: DashboardData = { generatedAt: '2026-12-07T12:00:00.000Z', dataDir: 'data', timeZone: 'UTC', panels: PANELS };
    const file = join(folder, 'dashboard.html');
    await writeFile(file, await dashboardHtml(data));
    browser = await chromium.launch({ executablePath: browserGate.executablePath(), args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => 'dashboard' in window);
  });

  afterAll(async () => {
    await browser?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('gives every chart a name and its numbers as a table a keyboard opens', async () => {
    // act
    const canvases = await page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas'), (canvas) => ({ id: canvas.dataset.panel, role: canvas.getAttribute('role'), label: canvas.getAttribute('aria-label') })),
    );
    expect(canvases).toEqual([
      { id: 'lines', role: 'img', label: 'Hours by category: line chart; its data is in the table below' },
      { id: 'bars', role: 'img', label: 'Top channels: bar chart; its data is in the table below' },
      { id: 'share', role: 'img', label: 'Game vs non-game: doughnut chart; its data is in the table below' },
    ]);
    const summary = page.locator('#lines summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    const lines = await page.locator('#lines details table').evaluate((table: HTMLTableElement) =>
      Array.from(table.rows, (row) => Array.from(row.cells, (cell) => `${cell.tagName}:${cell.textContent}`)),
    );
    const bars = await page.locator('#bars details table').evaluate((table: HTMLTableElement) => Array.from(table.rows, (row) => Array.from(row.cells, (cell) => cell.textContent)));

    // assess
    expect(lines).toEqual([
      ['TD:', 'TH:Music (hours)', 'TH:Fortnite (hours)'],
      ['TH:12-06 10:00', 'TD:1,234.5', 'TD:7'],
      ['TH:12-06 11:00', 'TD:99', 'TD:0'],
    ]);
    expect(bars).toEqual([
      ['', 'hours'],
      ['gaules', '4,321'],
      ['loud', '12'],
    ]);
    expect(await page.locator('#share details tbody tr').count()).toBe(2);
  });

  it('keeps every heat-map number readable on its shade, with no empty header', async () => {
    // act
    const cells = await page.locator('#heat tbody td').evaluateAll((tds) =>
      tds.map((td) => ({ text: td.textContent, color: getComputedStyle(td).color, background: getComputedStyle(td).backgroundColor })),
    );
    const emptyHeaders = await page.locator('#heat th').evaluateAll((ths) => ths.filter((th) => !th.textContent?.trim()).length);

    // assess
    expect(cells).toHaveLength(24);
    for (const cell of cells) expect(contrast(cell.color, cell.background), `${cell.text} ${cell.color} on ${cell.background}`).toBeGreaterThanOrEqual(4.5);
    expect(emptyHeaders).toBe(0);
  });

  it('lets a keyboard reach and scroll a table wider than the screen', async () => {
    // act
    const region = page.locator('#wide .table');
    const attributes = await region.evaluate((element) => ({ tabIndex: element.tabIndex, role: element.getAttribute('role'), label: element.getAttribute('aria-label') }));
    await region.focus();
    const focused = await region.evaluate((element) => document.activeElement === element);
    await page.keyboard.press('ArrowRight');
    // Scrolling by keyboard may be animated: wait for it to move.
    const scrolled = await page.waitForFunction(() => document.querySelector('#wide .table')!.scrollLeft > 0, undefined, { timeout: 5000 }).then(
      () => true,
      () => false,
    );

    // assess
    expect(attributes).toEqual({ tabIndex: 0, role: 'region', label: 'Live now (table)' });
    expect(focused).toBe(true);
    expect(scrolled).toBe(true);
  });

  it('keeps each panel whole on a printed sheet where it fits', async () => {
    // prepare
    await page.emulateMedia({ media: 'print' });
    try {
      // act
      const breaks = await page.locator('.panel').evaluateAll((panels) => panels.map((panel) => `${panel.id}:${getComputedStyle(panel).breakInside}`));

      // assess
      expect(breaks).toEqual(PANELS.map((panel) => `${panel.id}:avoid`));
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });
});
