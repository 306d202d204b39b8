import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, spawnCli, temporaryDataDir } from './support/cli-process';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((closed) => server?.close(closed) ?? closed(undefined));
  server = undefined;
});

/**
 * A Twitch that issues tokens and answers every page with 503, half a second late: a crawl
 * against it only retries. `onPage` is told of each page asked for, before the answer.
 */
async function unavailableTwitch(onPage: (count: number) => void): Promise<string> {
  let pages = 0;
  server = createServer(async (request, response) => {
    if (request.method === 'POST') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'token1', expires_in: 3600, token_type: 'bearer' }));
      return;
    }
    pages += 1;
    onPage(pages);
    await delay(500);
    response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Service Unavailable', status: 503, message: 'down' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('run stopped while its crawl only fails', () => {
  it('ends at the first Ctrl-C without another try, instead of waiting out minutes of retries, and records the run interrupted', async () => {
    // prepare: Ctrl-C while the second page request (the first retry) is under way
    let pagesAsked = 0;
    let stop = () => {};
    const base = await unavailableTwitch((count) => {
      pagesAsked = count;
      if (count === 2) stop();
    });
    const dataDir = await temporaryDataDir();
    const env = { ...cliEnv(dataDir), TWITCH_CLIENT_ID: 'an-id', TWITCH_CLIENT_SECRET: 'a-secret', TWITCH_API_URL: `${base}/helix`, TWITCH_AUTH_URL: `${base}/oauth2`, PIPELINE_LANGUAGES: 'pt' };
    const run = spawnCli(['run'], env);
    stop = () => run.child.kill('SIGINT');

    // act
    const result = await run.finished;
    const status = jsonOf<{ runs: { status: string; error: string }[] }>(await runCli(['status', '--json'], cliEnv(dataDir)));

    // assess
    expect(result.code).toBe(130);
    expect(pagesAsked).toBe(2);
    expect(result.stderr).toContain('stopped during the crawl, nothing written: snapshot ');
    expect(status.runs[0]).toMatchObject({ status: 'interrupted', error: expect.stringContaining('503') });
  });
});
