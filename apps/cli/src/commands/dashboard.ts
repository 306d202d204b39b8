import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type Command, PROGRAM } from '../cli/command';
import { listenError, usageError } from '../cli/errors';
import { sizeText, toJson } from '../cli/io';
import { pageTargetOf } from '../cli/page-target';
import { StopSignal } from '../cli/signals';
import { writePage } from '../cli/temporary-beside';
import { dashboardData, dashboardHtml } from '../dashboard/page';
import { sharedBuild } from '../dashboard/shared-build';
import { wholeNumber } from '../runtime/run-options';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a request's `Host` header names this loopback server (`localhost`, `127.0.0.1` or
 * `[::1]`, with the server's port). Anything else is a page of another site whose name was
 * rebound to 127.0.0.1 (DNS rebinding), and must not read the dashboard.
 *
 * @example
 * isLoopbackHost('localhost:8080', 8080); // true
 * isLoopbackHost('evil.example:8080', 8080); // false
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  const match = host && /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  if (!match) return false;
  const samePort = match[2] === undefined ? port === 80 : Number(match[2]) === port;
  return LOOPBACK_NAMES.has(match[1]!) && samePort;
}

/** `dashboard`: a self-contained HTML dashboard of gold and real-time data. */
export const dashboardCommand: Command = {
  name: 'dashboard',
  usage: ['dashboard [--out FILE]', 'dashboard --serve [--port N]'],
  details:
    'Panels: data freshness, hours watched by category over time, top channels by hours watched and by\n' +
    'average viewers, audience by language and period of the day, game vs non-game share, audience segments\n' +
    '(language × content type × period), rising categories and channels, a best-times heat-map, channels live\n' +
    'now and the real-time alerts.\n' +
    'The page embeds its data and Chart.js: open it offline, mail it, or publish it as a static file.\n' +
    'With --serve every page load queries the lake again (loads that arrive while a page is built get that page);\n' +
    'it listens on 127.0.0.1 only and answers only requests\n' +
    'addressed to localhost, 127.0.0.1 or [::1] with its port (421 otherwise: a defence against DNS rebinding).',
  options: {
    out: { type: 'string', short: 'o', value: 'FILE', description: 'where to write the page (default: <data dir>/dashboard.html)' },
    serve: { type: 'boolean', description: 'serve the dashboard on 127.0.0.1 until Ctrl-C, fresh on each load' },
    port: { type: 'string', short: 'p', value: 'N', description: 'port for --serve (default 8080; 0 picks a free one)' },
  },
  examples: [`${PROGRAM} dashboard`, `${PROGRAM} dashboard --out report.html`, `${PROGRAM} dashboard --serve --port 8080`],
  async run(input) {
    // Dropped in silence, one would leave a script waiting for a server or a file that never comes.
    if (input.values.serve && input.values.out !== undefined) throw usageError('--serve writes no file: give --out without --serve', `${PROGRAM} dashboard --help`);
    if (!input.values.serve && input.values.port !== undefined) throw usageError('--port is the port of --serve: give both, or neither', `${PROGRAM} dashboard --help`);
    const out = input.values.out === undefined ? undefined : pageTargetOf(input.values.out as string, { page: 'the dashboard', command: 'dashboard', forData: 'query "SELECT …" --out FILE.csv' });
    const config = input.config();
    const build = async () => {
      const data = await dashboardData({ dataDir: config.dataDir, timeZone: config.timeZone, warn: (text) => input.io.err(text) });
      // The page shows a failed panel's error in its place; a written page must not pass for a whole one either.
      for (const panel of data.panels) if (panel.error) input.io.err(`warning: dashboard panel "${panel.title}": ${panel.error}\n`);
      return dashboardHtml(data);
    };
    if (!input.values.serve) {
      const file = out ?? resolve(join(config.dataDir, 'dashboard.html'));
      const html = await build();
      await writePage(file, html, { page: 'the dashboard', hint: `write it elsewhere: ${PROGRAM} dashboard --out FILE` });
      if (input.json) input.io.out(toJson({ file, bytes: Buffer.byteLength(html) }));
      else input.io.out(`Dashboard written to ${file} (${sizeText(Buffer.byteLength(html))}, works offline)\n`);
      return 0;
    }
    // Loads that arrive while a page is built share it: each build queries the whole lake.
    const page = sharedBuild(build);
    const server = createServer((request, response) => {
      if (!isLoopbackHost(request.headers.host, (server.address() as AddressInfo).port)) {
        response.writeHead(421, { 'content-type': 'text/plain' }).end('misdirected request: open the dashboard as http://127.0.0.1:<port>/ or http://localhost:<port>/\n');
        return;
      }
      // The path alone: bookmarks, reload helpers and link trackers add a query string.
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path !== '/' && path !== '/index.html') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the dashboard is at /\n');
        return;
      }
      // HEAD gets GET's headers (Node sends no body for it); nothing else reads a page.
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }).end('method not allowed: the dashboard is read with GET\n');
        return;
      }
      page().then(
        (html) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html),
        (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`dashboard failed: ${error.message}\n`),
      );
    });
    const port = wholeNumber(input.values.port, 'port', 'dashboard', { min: 0, max: 65_535 }) ?? 8080;
    await new Promise<void>((listening, failed) => {
      server.once('error', (error) => failed(listenError(error, port, `${PROGRAM} dashboard --serve`)));
      server.listen(port, '127.0.0.1', listening);
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    if (input.json) input.io.out(toJson({ url }));
    else input.io.out(`Dashboard on ${url} (fresh on every load; Ctrl-C to stop)\n`);
    // Closing waits for the page being built to be sent, which can take seconds on a large lake.
    const stop = new StopSignal((signal) => {
      if (page.building) input.io.err(`\n${signal}: stopping once the page being built is sent\n`);
    });
    await stop.stopped;
    stop.dispose();
    await new Promise((closed) => server.close(closed));
    return 0;
  },
};
