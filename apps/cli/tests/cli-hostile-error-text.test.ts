import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((closed) => server?.close(closed) ?? closed(undefined));
  server = undefined;
});

/**
 * What a hostile or broken server may put in an error message: a title change (OSC), a screen
 * clear and a colour (CSI), a hyperlink, a right-to-left override, a C1 escape and a carriage
 * return that would print a fake line over the real one.
 */
const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mRED \u001b]8;;http://evil\u0007click\u001b]8;;\u0007 \u202eedoc\u009b31m\r\nFAKE: all good';

/** Characters a terminal acts on rather than prints. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const TERMINAL_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A token endpoint that refuses every request with `message` as its error text. */
async function refusingTwitch(message: string): Promise<string> {
  server = createServer((_request, response) => {
    response.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 403, message }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('error text a server sent, on the terminal', () => {
  it('prints what a refusing Twitch said without the escape sequences and controls it held, in text and in JSON', async () => {
    // prepare
    const base = await refusingTwitch(HOSTILE);
    const dataDir = await temporaryDataDir();
    const env = { ...cliEnv(dataDir), TWITCH_CLIENT_ID: 'an-id', TWITCH_CLIENT_SECRET: 'a-secret-of-30-characters-xyz', TWITCH_API_URL: `${base}/helix`, TWITCH_AUTH_URL: `${base}/oauth2`, PIPELINE_LANGUAGES: 'pt' };

    // act
    const run = await runCli(['run'], env);
    const status = await runCli(['status', '--json'], cliEnv(dataDir));

    // assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('was refused by 127.0.0.1');
    expect(run.stderr).toContain('RED click edoc31m FAKE: all good');
    expect(run.stderr).not.toMatch(TERMINAL_CONTROLS);
    expect(status.code).toBe(0);
    expect(status.stdout).not.toMatch(TERMINAL_CONTROLS);
    // The record keeps what the server said; JSON escapes what a terminal would act on.
    expect(status.stdout).toContain('\\u009b31m');
    expect(JSON.parse(status.stdout).runs[0].error).toContain('\u202eedoc\u009b31m');
  });

  it('echoes a name given on the command line without the escape sequences it held', async () => {
    // prepare
    const dataDir = await temporaryDataDir();

    // act
    const result = await runCli(['channel', '\u001b]0;pwned\u0007gaules\u001b[2J'], cliEnv(dataDir));

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: no channel "gaules" in the lake');
    expect(result.stderr).not.toMatch(TERMINAL_CONTROLS);
  });
});
