import { rm } from 'node:fs/promises';
import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, temporaryDataDir, twitchEnv } from './support/cli-process';
import { type ConnectProxy, startConnectProxy } from './support/connect-proxy';
import { startTlsFront, TLS_FRONT_CERTIFICATE, TLS_FRONT_HOST, type TlsFront } from './support/tls-front';

// The Helix simulator stands in for Twitch (it serves the same API and OAuth endpoints) behind an
// https front named twitch.test, which only the proxy can reach (it resolves the name), so the
// runs below are the path of a user with Twitch credentials, through a real tunnelling proxy.
const TWITCH_HOST = TLS_FRONT_HOST;
let helix: HelixSimulator;
let front: TlsFront;
const dataDirs: string[] = [];

beforeAll(async () => {
  helix = await startHelixSimulator({ seed: 3, averageLiveChannels: 300 });
  front = await startTlsFront(Number(new URL(helix.apiUrl).port));
});

afterAll(async () => {
  await helix.close();
  await front.close();
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The environment of a run with credentials and the proxy variables given (and no others); `remote` names Twitch as twitch.test. */
async function proxiedTwitchEnv(extra: Record<string, string>, { remote = true } = {}): Promise<NodeJS.ProcessEnv> {
  const dataDir = await temporaryDataDir();
  dataDirs.push(dataDir);
  const env: NodeJS.ProcessEnv = { ...twitchEnv(dataDir, helix), ...extra };
  if (remote) {
    env.TWITCH_API_URL = `https://${TWITCH_HOST}${new URL(helix.apiUrl).pathname}`;
    env.TWITCH_AUTH_URL = `https://${TWITCH_HOST}${new URL(helix.authUrl).pathname}`;
    env.NODE_EXTRA_CA_CERTS = TLS_FRONT_CERTIFICATE;
  }
  for (const name of ['http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']) if (!(name in extra)) delete env[name];
  return env;
}

describe('twitch-pipeline run behind an HTTP proxy', () => {
  let proxy: ConnectProxy;

  beforeAll(async () => {
    proxy = await startConnectProxy('analyst:s3cret-pass', { [`${TWITCH_HOST}:443`]: `127.0.0.1:${front.port}` });
  });

  afterAll(async () => {
    await proxy.close();
  });

  it('collects through the proxy HTTP_PROXY names, with its credentials, and never shows them', async () => {
    // prepare
    const env = await proxiedTwitchEnv({ HTTP_PROXY: `analyst:s3cret-pass@127.0.0.1:${proxy.port}` });
    proxy.tunnels.length = 0;

    // act
    const result = await runCli(['run'], env);

    // assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`collecting from Twitch Helix at https://${TWITCH_HOST}/helix through the proxy 127.0.0.1:${proxy.port} (HTTP_PROXY)`);
    expect(result.stdout).toMatch(/bronze [1-9]/);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels.map((tunnel) => tunnel.target))).toEqual(new Set([`${TWITCH_HOST}:443`]));
    expect(proxy.tunnels[0]!.authorization).toBe(`Basic ${Buffer.from('analyst:s3cret-pass').toString('base64')}`);
    expect(result.stdout + result.stderr).not.toContain('s3cret-pass');
  });

  it('goes direct to a Twitch on this machine (a simulator), never sending its secret through the proxy', async () => {
    // prepare: the simulator on 127.0.0.1 over plain http, with the proxy variables of a corporate machine
    const env = await proxiedTwitchEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }, { remote: false });
    proxy.tunnels.length = 0;

    // act
    const result = await runCli(['run'], env);

    // assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`collecting from Twitch Helix at ${helix.apiUrl}\n`);
    expect(result.stdout).toMatch(/bronze [1-9]/);
    expect(proxy.tunnels).toEqual([]);
  });

  it('names the proxy refusal when the credentials are wrong, without showing them', async () => {
    // prepare
    const env = await proxiedTwitchEnv({ http_proxy: `http://analyst:wrong-pass@127.0.0.1:${proxy.port}` });
    proxy.tunnels.length = 0;

    // act
    const result = await runCli(['run'], env);

    // assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('could not obtain an app token: POST /oauth2/token network error');
    expect(result.stderr).toContain('407');
    expect(result.stdout + result.stderr).not.toContain('wrong-pass');
    expect(proxy.tunnels.length).toBeGreaterThan(0);
  });

  it('refuses a proxy variable that is not an HTTP URL, before collecting anything', async () => {
    // prepare
    const socks = await proxiedTwitchEnv({ HTTP_PROXY: 'socks5://analyst:s3cret-pass@127.0.0.1:1080' });
    const garbled = await proxiedTwitchEnv({ HTTPS_PROXY: 'analyst:s3cret-pass@proxy host:3128' });
    // A password holding "/" reads as a host and a port that is no number.
    const slashed = await proxiedTwitchEnv({ HTTPS_PROXY: 'http://analyst:s3cret-pass/x@127.0.0.1:9' });
    // The host forgotten: the user and password are all there is, with no "@" to end them.
    const hostless = await proxiedTwitchEnv({ HTTPS_PROXY: 'analyst:s3cret-pass' });
    const hostlessWithScheme = await proxiedTwitchEnv({ HTTP_PROXY: 'http://analyst:s3cret-pass/x' });

    // act
    const results = [];
    for (const env of [socks, garbled, slashed, hostless, hostlessWithScheme]) results.push(await runCli(['run'], env));

    // assess
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 2, 2]);
    expect(results[3]!.stderr).toContain('HTTPS_PROXY is not an HTTP proxy URL (got "analyst:…")');
    expect(results[4]!.stderr).toContain('HTTP_PROXY is not an HTTP proxy URL (got "http://analyst:…")');
    expect(results[0]!.stderr).toContain('HTTP_PROXY is not an HTTP proxy URL (got "socks5://127.0.0.1:1080")');
    expect(results[1]!.stderr).toContain('HTTPS_PROXY is not an HTTP proxy URL (got "proxy host:3128")');
    expect(results[2]!.stderr).toContain('HTTPS_PROXY is not an HTTP proxy URL (got "http://127.0.0.1:9")');
    for (const result of results) expect(result.stderr).not.toContain('s3cret-pass');
  });
});
