import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:tls';

/** An https front on 127.0.0.1 for a plain-http test server, under a host name of its own. */
export interface TlsFront {
  port: number;
  /** The front's self-signed certificate, for `NODE_EXTRA_CA_CERTS`. */
  caFile: string;
  close(): Promise<void>;
}

/**
 * Why no front can be made here (no `openssl` to sign its certificate), or undefined.
 *
 * @example
 * describe.skipIf(tlsFrontUnavailable())('…', () => {});
 */
export function tlsFrontUnavailable(): string | undefined {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'the openssl command is not installed: it signs the test certificate (Debian package openssl)';
}

/**
 * Starts TLS for `hostname` on a free port of 127.0.0.1, forwarding every connection to
 * `upstreamPort`, with a one-day certificate made by `openssl` in a temporary folder.
 *
 * @example
 * const front = await startTlsFront('twitch.test', helixPort); // https://twitch.test → the simulator
 */
export async function startTlsFront(hostname: string, upstreamPort: number): Promise<TlsFront> {
  const folder = await mkdtemp(join(tmpdir(), 'tls-front-'));
  const [keyFile, caFile] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', caFile, '-days', '1', '-subj', `/CN=${hostname}`, '-addext', `subjectAltName=DNS:${hostname}`],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make the test certificate: ${made.stderr}`);
  const sockets = new Set<Socket>();
  const server = createServer({ key: await readFile(keyFile), cert: await readFile(caFile) }, (client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    caFile,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(folder, { recursive: true, force: true });
    },
  };
}
