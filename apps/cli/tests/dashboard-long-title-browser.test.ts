import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardData, PanelData } from '../src/dashboard/model';
import { dashboardHtml } from '../src/dashboard/page';
import { DASHBOARD_PANELS } from '../src/dashboard/panels';
import { temporaryDataDir } from './support/cli-process';
import { browserTestGate, CHROMIUM_FLAGS } from './support/find-browser';

const SUITE = 'a long stream title in the dashboard, in headless Chromium';
const browserGate = browserTestGate(SUITE);

/** 300 characters, ending in a word longer than the column (a link pasted into a title). */
const LONG_TITLE = `${'Ranked grind until diamond, then viewer games and a giveaway at every 500 subs '.repeat(3).slice(0, 220)} https://example.com/${'x'.repeat(59)}`;

function liveNowPanel(): PanelData {
  const { sql: _sql, ...definition } = DASHBOARD_PANELS.find((panel) => panel.id === 'live-now')!;
  return {
    ...definition,
    columns: ['channel', 'category', 'language', 'viewers', 'title'],
    rows: [
      ['gaules', 'Counter-Strike', 'pt', 41_230, LONG_TITLE],
      ['loud_coringa', 'Just Chatting', 'pt', 18_004, 'short title'],
    ],
  };
}

/** A profile's summary, whose last real-time sample names the stream's title in its detail line. */
function summaryPanel(): PanelData {
  return {
    id: 'summary',
    title: 'Summary',
    subtitle: '2026-12-01 → 2026-12-07',
    kind: 'stats',
    width: 2,
    columns: ['label', 'value', 'detail'],
    rows: [
      ['peak viewers', 41_230, 'highest sample'],
      ['last real-time sample', 41_230, `2026-12-07 11:30 UTC · Counter-Strike · ${LONG_TITLE}`],
    ],
  };
}

let browser: Browser;
let folder: string;
let file: string;

/**
 * Where the long title's cell sits once its table is scrolled to it (on a phone the table scrolls
 * sideways in its own box, which a keyboard reaches and scrolls), and whether the cell or the page
 * hides any of it.
 */
async function layoutAt(page: Page) {
  const cell = page.locator('#live-now tbody tr:first-child td:last-child');
  await cell.scrollIntoViewIfNeeded();
  return cell.evaluate((td) => {
    const box = td.getBoundingClientRect();
    return {
      text: td.textContent,
      clipped: td.scrollWidth > td.clientWidth || td.scrollHeight > td.clientHeight,
      cellLeft: box.left,
      cellRight: box.right,
      pageWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    };
  });
}

describe.skipIf(browserGate.skip)(SUITE, () => {
  beforeAll(async () => {
    folder = await temporaryDataDir();
    file = join(folder, 'dashboard.html');
    const data: DashboardData = { generatedAt: '2026-12-07T12:00:00.000Z', dataDir: 'data', timeZone: 'UTC', panels: [liveNowPanel(), summaryPanel()] };
    await writeFile(file, await dashboardHtml(data));
    browser = await chromium.launch({ executablePath: browserGate.executablePath(), args: CHROMIUM_FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it.each([
    { width: 360, height: 740 },
    { width: 1400, height: 1000 },
  ])('shows the whole title in "Live now" at $width px wide, without widening the page', async (viewport) => {
    // prepare
    const page = await browser.newPage({ viewport });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => 'dashboard' in window);

    // act
    const layout = await layoutAt(page);
    // What a screen reader announces for the cell: its accessible name, from the text itself.
    const cells = await page.getByRole('cell', { name: LONG_TITLE, exact: true }).count();
    await page.close();

    // assess
    expect(LONG_TITLE).toHaveLength(300);
    expect(layout.text).toBe(LONG_TITLE);
    expect(layout.clipped).toBe(false);
    expect(layout.cellLeft).toBeGreaterThanOrEqual(0);
    expect(layout.cellRight).toBeLessThanOrEqual(layout.viewport);
    expect(layout.pageWidth).toBeLessThanOrEqual(layout.viewport);
    expect(cells).toBe(1);
  });

  it('keeps the title in a summary box at 360 px wide, without widening the page', async () => {
    // prepare
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => 'dashboard' in window);

    // act
    const detail = page.locator('#summary .stat:last-child small');
    await detail.scrollIntoViewIfNeeded();
    const layout = await detail.evaluate((small) => {
      const box = small.getBoundingClientRect();
      const stat = small.parentElement!.getBoundingClientRect();
      return { text: small.textContent, right: box.right, statRight: stat.right, pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth };
    });
    await page.close();

    // assess
    expect(layout.text).toContain(LONG_TITLE);
    expect(layout.right).toBeLessThanOrEqual(layout.statRight);
    expect(layout.statRight).toBeLessThanOrEqual(layout.viewport);
    expect(layout.pageWidth).toBeLessThanOrEqual(layout.viewport);
  });
});
