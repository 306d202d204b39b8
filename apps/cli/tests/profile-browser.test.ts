import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { cliEnv, jsonOf, runCli, runInProcess, temporaryDataDir } from './support/cli-process';
import { browserTestGate, CHROMIUM_FLAGS } from './support/find-browser';

const SUITE = 'profile pages in headless Chromium';
const browserGate = browserTestGate(SUITE);

const HOSTILE_LOGIN = '<img src=x onerror="window.pwned=1">';
const HOSTILE_TITLE = '</script><script>window.pwned=2</script><b id="bold">bold</b> & "quotes"';
const HOSTILE_CATEGORY = '<svg onload="window.pwned=3">';

/**
 * A Helix-compatible server on 127.0.0.1 whose only Portuguese stream has a hostile login,
 * title and category, so the real pipeline (extract → silver → gold → real time) lands them.
 */
async function hostileHelix(): Promise<Server> {
  const startedAt = new Date(Date.now() - 3_600_000).toISOString();
  const stream = {
    id: '900001',
    user_id: '800001',
    user_login: HOSTILE_LOGIN,
    user_name: HOSTILE_LOGIN,
    game_id: '700001',
    game_name: HOSTILE_CATEGORY,
    type: 'live',
    title: HOSTILE_TITLE,
    tags: ['<i>tag</i>'],
    viewer_count: 321,
    started_at: startedAt,
    language: 'pt',
    thumbnail_url: '',
    tag_ids: [],
    is_mature: false,
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const headers = { 'content-type': 'application/json', 'ratelimit-limit': '800', 'ratelimit-remaining': '799', 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 60) };
    if (request.method === 'POST' && url.pathname === '/oauth2/token') {
      response.writeHead(200, headers).end(JSON.stringify({ access_token: 'test-token', expires_in: 3600, token_type: 'bearer' }));
    } else if (url.pathname === '/helix/streams') {
      const data = url.searchParams.get('language') === 'pt' ? [stream] : [];
      response.writeHead(200, headers).end(JSON.stringify({ data, pagination: {} }));
    } else {
      response.writeHead(404, headers).end(JSON.stringify({ error: 'Not Found', status: 404, message: url.pathname }));
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return server;
}

interface Drawn {
  charts: Record<string, { labels: string[]; values: number[] }>;
  errors: string[];
  requests: string[];
}

/** Opens a written page from disk and reads what its charts drew. */
async function open(page: Page, file: string): Promise<Drawn> {
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => 'dashboard' in window);
  const charts = await page.evaluate(() => {
    const drawn = (window as unknown as { dashboard: { charts: Record<string, { data: { labels: unknown[]; datasets: { data: number[] }[] } }> } }).dashboard.charts;
    return Object.fromEntries(
      Object.entries(drawn).map(([id, chart]) => [id, { labels: chart.data.labels.map(String), values: chart.data.datasets.flatMap((dataset) => dataset.data) }]),
    );
  });
  return { charts, errors, requests: requests.filter((url) => !url.startsWith('file://') && !url.startsWith('data:')) };
}

let browser: Browser;
let env: NodeJS.ProcessEnv;
let dataDir: string;

describe.skipIf(browserGate.skip)(SUITE, () => {
  beforeAll(async () => {
    dataDir = await temporaryDataDir();
    env = cliEnv(dataDir);
    jsonOf(await runCli(['backfill', '--hours', '48', '--interval', '2h', '--channels', '200', '--json'], env));
    browser = await chromium.launch({ executablePath: browserGate.executablePath(), args: CHROMIUM_FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('draws a channel profile from the lake’s data, offline and without errors', async () => {
    // prepare
    const [top] = jsonOf<{ nome_streamer: string }[]>(
      await runInProcess(['query', 'SELECT nome_streamer FROM gold_streamers_diario GROUP BY 1 ORDER BY sum(horas_assistidas) DESC LIMIT 1', '--json'], env),
    );
    const profile = jsonOf<{ categories: { nome_categoria: string }[]; trend: unknown[] }>(await runInProcess(['channel', top!.nome_streamer, '--json'], env));
    // act
    const written = jsonOf<{ file: string }>(await runInProcess(['channel', top!.nome_streamer, '--out', join(dataDir, 'pages', 'channel.html'), '--json'], env));
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const drawn = await open(page, written.file);
    const heatCells = await page.locator('#heatmap tbody td').count();
    const liveCells = await page.locator('#heatmap tbody td').evaluateAll((cells) => cells.filter((cell) => cell.textContent !== '0').length);
    // assess
    expect(drawn.charts['category-watched']!.labels).toEqual(profile.categories.map((row) => row.nome_categoria));
    for (const id of ['category-airtime', 'category-watched', 'trend']) expect(drawn.charts[id]!.values.some((value) => value > 0), id).toBe(true);
    expect(drawn.charts.trend!.labels).toHaveLength(profile.trend.length);
    expect(heatCells).toBe(7 * 24);
    expect(liveCells).toBeGreaterThan(0);
    expect(await page.locator('#summary .stat').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('#categories tbody tr').count()).toBe(profile.categories.length);
    expect(drawn.errors).toEqual([]);
    expect(drawn.requests).toEqual([]);
  });

  it('leaves blank the heat-map cell of an hour with no airtime yet', async () => {
    // prepare: the newest snapshot is at the start of an hour (2-hour slots), so a channel live in
    // it has that hour's sample and no minutes there yet, its average null
    const [live] = jsonOf<{ nome_streamer: string }[]>(
      await runInProcess(
        ['query', 'SELECT nome_streamer FROM gold_canais_hora GROUP BY 1 HAVING bool_or(minutos_transmitidos = 0) ORDER BY sum(horas_assistidas) DESC LIMIT 1', '--json'],
        env,
      ),
    );
    const profile = jsonOf<{ heatmap: { dia_semana: number; hora_dia: number; media_espectadores: number | null }[] }>(
      await runInProcess(['channel', live!.nome_streamer, '--json'], env),
    );
    const notYetAired = profile.heatmap.filter((row) => row.media_espectadores === null);

    // act
    const written = jsonOf<{ file: string }>(await runInProcess(['channel', live!.nome_streamer, '--out', join(dataDir, 'pages', 'live-channel.html'), '--json'], env));
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const drawn = await open(page, written.file);
    const cells = await Promise.all(
      notYetAired.map((row) => page.locator(`#heatmap tbody tr:nth-child(${row.dia_semana}) td:nth-of-type(${row.hora_dia + 1})`).textContent()),
    );

    // assess
    expect(notYetAired.length).toBeGreaterThan(0);
    expect(cells).toEqual(notYetAired.map(() => ''));
    expect(drawn.errors).toEqual([]);
  });

  it('draws a category profile: channels and viewers per channel by hour, top channels, languages, trend', async () => {
    // act
    const written = jsonOf<{ file: string }>(await runInProcess(['category', 'Just Chatting', '--out', join(dataDir, 'pages', 'category.html'), '--json'], env));
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const drawn = await open(page, written.file);
    // assess
    for (const id of ['channels-per-hour', 'saturation', 'top-channels', 'languages', 'trend']) {
      expect(drawn.charts[id]?.values.some((value) => value > 0), id).toBe(true);
    }
    expect(await page.locator('#best-hours tbody tr').count()).toBeGreaterThan(0);
    expect(await page.title()).toBe('Category Just Chatting — Twitch streams pipeline');
    expect(drawn.errors).toEqual([]);
  });

  it('keeps a hostile login, title and category as text on both pages', async () => {
    // prepare
    const helix = await hostileHelix();
    const port = (helix.address() as AddressInfo).port;
    const hostileEnv = cliEnv(await temporaryDataDir());
    Object.assign(hostileEnv, {
      TWITCH_CLIENT_ID: 'test-client',
      TWITCH_CLIENT_SECRET: 'test-secret',
      TWITCH_API_URL: `http://127.0.0.1:${port}/helix`,
      TWITCH_AUTH_URL: `http://127.0.0.1:${port}/oauth2`,
    });
    try {
      jsonOf(await runCli(['run', '--json'], hostileEnv));
    } finally {
      helix.close();
    }
    const directory = String(hostileEnv.PIPELINE_DATA_DIR);
    onTestFinished(() => rm(directory, { recursive: true, force: true }));
    // act
    const channel = jsonOf<{ file: string }>(await runInProcess(['channel', HOSTILE_LOGIN, '--out', join(directory, 'channel.html'), '--json'], hostileEnv));
    const category = jsonOf<{ file: string }>(await runInProcess(['category', HOSTILE_CATEGORY, '--out', join(directory, 'category.html'), '--json'], hostileEnv));
    const channelPage = await browser.newPage();
    const channelDrawn = await open(channelPage, channel.file);
    const categoryPage = await browser.newPage();
    const categoryDrawn = await open(categoryPage, category.file);
    // assess
    const html = await readFile(channel.file, 'utf8');
    expect(html).not.toContain(HOSTILE_TITLE);
    expect(html).not.toContain(HOSTILE_LOGIN);
    for (const page of [channelPage, categoryPage]) {
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.locator('img, svg, #bold, i').count()).toBe(0);
    }
    expect(await channelPage.locator('#profile-subject').textContent()).toBe(`Channel ${HOSTILE_LOGIN}`);
    expect(await channelPage.title()).toBe(`Channel ${HOSTILE_LOGIN} — Twitch streams pipeline`);
    expect(await channelPage.locator('#summary').textContent()).toContain(HOSTILE_TITLE);
    expect(channelDrawn.charts['category-watched']!.labels).toEqual([HOSTILE_CATEGORY]);
    expect(await categoryPage.locator('#profile-subject').textContent()).toBe(`Category ${HOSTILE_CATEGORY}`);
    expect(await categoryPage.locator('#top-channels-table tbody td').first().textContent()).toBe(HOSTILE_LOGIN);
    expect(categoryDrawn.charts['top-channels']!.labels).toEqual([HOSTILE_LOGIN]);
    expect([...channelDrawn.errors, ...categoryDrawn.errors]).toEqual([]);
  });
});
