import { fileURLToPath } from 'node:url';
import { hoursWatchedAccuracyNote } from '@twitch-pipeline/features';
import { build } from 'esbuild';
import { LakeSession } from '../lake/lake-session';
import type { DashboardData } from './model';
import { DARK, LIGHT, paletteProperties } from './palette';
import { DASHBOARD_PANELS, DASHBOARD_TABLES, type PanelDefinition } from './panels';

const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));

let bundled: Promise<string> | undefined;

/**
 * The page script: the client code with Chart.js bundled in (from node_modules, at generation
 * time), so the page works offline and needs no CDN. Built once per process.
 *
 * @example
 * const script = await clientBundle();
 */
export function clientBundle(): Promise<string> {
  bundled ??= build({
    // Relative to absWorkingDir: esbuild reads an entry point holding "*" or "?" as a file pattern,
    // and a clone's own folder may be named with them.
    absWorkingDir: CLIENT_DIR,
    entryPoints: ['./app.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'inline',
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}

/**
 * Runs every panel's query over the lake; a failing panel carries its error instead of rows.
 *
 * @example
 * const data = await dashboardData({ dataDir: './data', timeZone: 'America/Sao_Paulo' });
 */
export async function dashboardData(options: {
  dataDir: string;
  timeZone: string;
  panels?: PanelDefinition[];
  now?: Date;
  /** Where warnings about the lake go (see `LakeSessionOptions`). */
  warn?: (text: string) => void;
}): Promise<DashboardData> {
  const definitions = options.panels ?? DASHBOARD_PANELS;
  const session = await LakeSession.open(options.dataDir, { ...(options.warn ? { warn: options.warn } : {}), reads: definitions.map((panel) => panel.sql) });
  try {
    // Made once for every panel that reads them; a panel reading one that failed carries its error.
    const failed = new Map<string, string>();
    for (const table of DASHBOARD_TABLES.filter(({ name }) => definitions.some(({ sql }) => sql.includes(name)))) {
      await table.create(session).catch((error: unknown) => failed.set(table.name, (error as Error).message));
    }
    const panels = [];
    for (const { sql, ...panel } of definitions) {
      try {
        const failure = [...failed].find(([name]) => sql.includes(name));
        if (failure) throw new Error(failure[1]);
        const result = await session.query(sql);
        panels.push({ ...panel, columns: result.columns, rows: result.rows });
      } catch (error) {
        panels.push({ ...panel, columns: [], rows: [], error: `query failed: ${(error as Error).message}` });
      }
    }
    return { generatedAt: (options.now ?? new Date()).toISOString(), dataDir: options.dataDir, timeZone: options.timeZone, panels };
  } finally {
    await session.close();
  }
}

/**
 * Text made safe for HTML element content and attribute values.
 *
 * @example
 * escapeHtml('<b>'); // '&#60;b&#62;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * JSON inside a script element: `<` escaped so no value can close the element.
 *
 * @example
 * `<script type="application/json">${embeddedJson(data)}</script>`;
 */
export function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The page styles, shared with the profile pages. */
export const STYLE = `
  :root { color-scheme: light; --accent: #9146ff; ${paletteProperties(LIGHT)} }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: var(--background); color: var(--text); }
  header { padding: 16px 24px; background: #1f1f2e; color: #fff; display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
  header h1 { margin: 0; font-size: 20px; } header h1 span { color: var(--accent); }
  header p { margin: 0; color: #c9c9d6; font-size: 13px; }
  #panels { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; padding: 16px 24px; }
  .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 0; }
  .panel.width-2 { grid-column: span 2; }
  .panel h2 { margin: 0; font-size: 15px; } .panel > p { margin: 2px 0 8px; color: var(--muted); font-size: 12px; }
  .chart { position: relative; height: 300px; }
  .empty { padding: 24px; color: var(--muted); text-align: center; }
  .table { overflow-x: auto; }
  table { width: 100%; border-collapse: collapse; font-size: 12px; }
  th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); max-width: 220px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  td.number { text-align: right; font-variant-numeric: tabular-nums; }
  td.text { white-space: normal; overflow-wrap: break-word; }
  /* Its neighbours would squeeze a long text (a stream title) to a few letters a line on a phone: the table scrolls instead. */
  td.long { min-width: 14em; max-width: 28em; overflow-wrap: anywhere; }
  .heatmap td { padding: 4px 3px; font-size: 11px; color: var(--ink-light, var(--text)); } .heatmap tbody th { font-weight: 500; }
  .stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; }
  /* A grid item is as wide as its longest word unless told otherwise: a link in a title would widen the page. */
  .stat { border-left: 3px solid var(--accent); padding: 4px 10px; display: flex; flex-direction: column; min-width: 0; overflow-wrap: anywhere; }
  .stat span { color: var(--muted); font-size: 12px; text-transform: uppercase; } .stat strong { font-size: 16px; }
  .stat small { color: var(--muted); }
  :focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
  .chart-data { margin-top: 6px; } .chart-data summary { cursor: pointer; color: var(--muted); font-size: 12px; }
  .chart-data tbody th { font-weight: 500; }
  @media (max-width: 900px) { #panels { grid-template-columns: 1fr; } .panel.width-2 { grid-column: span 1; } }
  /* Last, to win over the rules above. Screen only: a printed page stays light, whatever scheme its reader's screen asks for. */
  @media screen and (prefers-color-scheme: dark) {
    :root { color-scheme: dark; ${paletteProperties(DARK)} }
    .heatmap td { color: var(--ink-dark, var(--text)); }
  }
  /* A chart cut between two sheets loses its title or its axis; one taller than a sheet still breaks. */
  @media print { .panel { break-inside: avoid; } }
`;

/**
 * What a browser with scripts turned off shows in place of the panels, which the page's own
 * script draws from the data embedded in it: without it the page held only its header.
 */
export const NO_SCRIPT =
  '<noscript><p>The panels are drawn by this page\'s own script, from the data inside the file: allow JavaScript for this page to see them. It makes no request to any other site.</p></noscript>';

/**
 * The self-contained dashboard page: styles, data and script (with Chart.js) all inline.
 *
 * @example
 * await writeFile('dashboard.html', await dashboardHtml(await dashboardData({ dataDir, timeZone })));
 */
export async function dashboardHtml(data: DashboardData): Promise<string> {
  const script = await clientBundle();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Twitch streams pipeline — dashboard</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1><span>▶</span> Twitch streams pipeline</h1>
  <p>generated ${escapeHtml(data.generatedAt.replace('T', ' ').slice(0, 19))} UTC · lake ${escapeHtml(data.dataDir)} · dates in ${escapeHtml(data.timeZone)}</p>
  <p>${escapeHtml(hoursWatchedAccuracyNote())}</p>
</header>
<main id="panels">${NO_SCRIPT}</main>
<script type="application/json" id="dashboard-data">${embeddedJson(data)}</script>
<script>${script.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}
