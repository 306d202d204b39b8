import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withEngine } from '@twitch-pipeline/duckdb';
import { describe, expect, it } from 'vitest';
import { formatCsv, formatTable } from '../src/cli/table';
import { isLoopbackHost } from '../src/commands/dashboard';
import { bindSavedParameters, findSavedQuery } from '../src/lake/saved';
import { cliEnv, runCli, spawnCli, startCli, temporaryDataDir } from './support/cli-process';

/** A GET with a chosen Host header, as a page of a rebound domain would send it. */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const sent = request({ hostname: target.hostname, port: target.port, path: '/', headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('table output', () => {
  it('strips escape sequences, control characters and bidi overrides from cells and headers', () => {
    // prepare
    const hostile = {
      columns: ['titulo\u001b[2J'],
      rows: [['\u001b]0;pwned\u0007ao vivo \u001b[31mvermelho\u001b[0m'], ['linha\r\nnova\u0000\u009b'], ['\u202eevil'], ['日本語 ✨']],
    };
    // act
    const text = formatTable(hostile);
    // assess
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('ao vivo vermelho');
    expect(text).toContain('linha nova');
    expect(text).toContain('日本語 ✨');
  });
});

describe('CSV output', () => {
  it("prefixes text cells that a spreadsheet would run as a formula with ', and keeps numbers as numbers", () => {
    // prepare
    const rows = [['=HYPERLINK("http://x","y")'], ['+1'], ['-2+3'], ['@SUM(A1)'], ['\tcmd'], ['\rcmd'], ['plain'], [-5], [1.5], [12n]];
    // act
    const csv = formatCsv({ columns: ['value'], rows });
    // assess
    expect(csv.split('\n')).toEqual([
      'value',
      `"'=HYPERLINK(""http://x"",""y"")"`,
      "'+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tcmd",
      `"'\rcmd"`,
      'plain',
      '-5',
      '1.5',
      '12',
      '',
    ]);
  });
});

describe('saved-query parameters', () => {
  it('binds a text parameter that looks like a number as text, and an integer parameter as a number', () => {
    // prepare
    const byChannel = findSavedQuery('hourly_viewers_for_channel');
    const byMinutes = findSavedQuery('top_streamers_by_average_viewers');
    // act
    const channel = bindSavedParameters(byChannel, ['login=1234']);
    const minutes = bindSavedParameters(byMinutes, ['min_minutes=120']);
    const badMinutes = () => bindSavedParameters(byMinutes, ['min_minutes=lots']);
    // assess
    expect(channel[0]).toBe('1234');
    expect(minutes.at(-1)).toBe(120);
    expect(badMinutes).toThrow(/min_minutes must be a whole number \(got "lots"\)/);
  });

  it('calls an integer parameter of 20 digits too large or too small, not "not a whole number"', () => {
    // prepare
    const byMinutes = findSavedQuery('top_streamers_by_average_viewers');

    // act
    const tooLarge = () => bindSavedParameters(byMinutes, ['min_minutes=99999999999999999999']);
    const tooSmall = () => bindSavedParameters(byMinutes, ['min_minutes=-99999999999999999999']);

    // assess
    expect(tooLarge).toThrow('min_minutes is too large (got "99999999999999999999"; at most 9007199254740991)');
    expect(tooSmall).toThrow('min_minutes is too small (got "-99999999999999999999"; at least -9007199254740991)');
  });

  it('compares an all-digit channel login with a text column without a conversion error', async () => {
    // prepare: a number bound against a VARCHAR column makes DuckDB cast every login to a number
    const [channel] = bindSavedParameters(findSavedQuery('hourly_viewers_for_channel'), ['login=1234']);
    // act
    const rows = await withEngine({}, async (engine) => {
      await engine.run("CREATE TABLE canais AS SELECT * FROM (VALUES ('gaules'), ('1234')) AS t(nome_streamer)");
      return engine.all('SELECT nome_streamer FROM canais WHERE nome_streamer = ?', [channel] as never);
    });
    // assess
    expect(rows).toEqual([{ nome_streamer: '1234' }]);
  });
});

describe('dashboard --serve', () => {
  it('answers only requests addressed to a loopback name with its port', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());
    const server = await startCli(['dashboard', '--serve', '--port', '0', '--json'], env);
    const { url } = JSON.parse(server.firstOutput) as { url: string };
    const port = new URL(url).port;
    try {
      // act
      const statuses = {
        localhost: await getWithHost(url, `localhost:${port}`),
        ipv4: await getWithHost(url, `127.0.0.1:${port}`),
        ipv6: await getWithHost(url, `[::1]:${port}`),
        rebound: await getWithHost(url, `attacker.example:${port}`),
        otherPort: await getWithHost(url, 'localhost:1'),
        suffix: await getWithHost(url, `localhost.attacker.example:${port}`),
      };
      // assess
      expect(statuses).toEqual({ localhost: 200, ipv4: 200, ipv6: 200, rebound: 421, otherPort: 421, suffix: 421 });
      expect(isLoopbackHost(undefined, 8080)).toBe(false);
      expect(isLoopbackHost('LOCALHOST', 80)).toBe(true);
    } finally {
      await server.interrupt();
    }
  });
});

describe('dashboard --serve requests', () => {
  it('serves the page with a query string and to HEAD, and names what it does not answer', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());
    const server = await startCli(['dashboard', '--serve', '--port', '0', '--json'], env);
    const { url } = JSON.parse(server.firstOutput) as { url: string };
    try {
      // act
      const bookmarked = await fetch(`${url}?from=bookmark`);
      const head = await fetch(url, { method: 'HEAD' });
      const post = await fetch(url, { method: 'POST', body: 'x' });
      const elsewhere = await fetch(`${url}nope?x=1`);

      // assess
      expect(bookmarked.status).toBe(200);
      expect(await bookmarked.text()).toContain('<!doctype html>');
      expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'text/html; charset=utf-8', '']);
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
      expect([elsewhere.status, await elsewhere.text()]).toEqual([404, 'not found: the dashboard is at /\n']);
    } finally {
      await server.interrupt();
    }
  });
});

describe('a server port already taken', () => {
  it('names the port and how to choose another, for the dashboard and the simulator', async () => {
    // prepare: a port held by another program (here a listener of this process)
    const holder = createServer();
    await new Promise<void>((listening) => holder.listen(0, '127.0.0.1', listening));
    const port = String((holder.address() as AddressInfo).port);
    const env = cliEnv(await temporaryDataDir());
    try {
      // act
      const dashboard = await runCli(['dashboard', '--serve', '--port', port], env);
      const simulator = await runCli(['simulator', '--port', port], env);
      // assess
      expect(dashboard).toMatchObject({ code: 1, stdout: '' });
      expect(dashboard.stderr).toBe(
        `error: port ${port} on 127.0.0.1 is already in use by another program\n  choose another port: \`twitch-pipeline dashboard --serve --port N\` (--port 0 takes any free one)\n`,
      );
      expect(simulator).toMatchObject({ code: 1, stdout: '' });
      expect(simulator.stderr).toContain(`error: port ${port} on 127.0.0.1 is already in use by another program\n  choose another port: \`twitch-pipeline simulator --port N\``);
    } finally {
      await new Promise((closed) => holder.close(closed));
    }
  });
});

describe('stdout closed by its reader', () => {
  it('ends `query … | head` quietly with code 0 instead of an unhandled EPIPE', async () => {
    // prepare: a result far larger than what the reader takes
    const { child, finished } = spawnCli(['query', 'SELECT range AS n FROM range(2000000)', '--format', 'csv'], cliEnv(await temporaryDataDir()));

    // act: read the first chunk and close the pipe, as head does after its lines
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const { code, stderr } = await finished;

    // assess
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
