import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:tls';

/**
 * The front's certificate, for `NODE_EXTRA_CA_CERTS`: self-signed for `twitch.test` only, valid
 * until 2126. Its key sits beside it on purpose: it guards nothing but this test server, and
 * shipping both keeps the proxy tests from needing a tool to sign one.
 */
export const TLS_FRONT_CERTIFICATE = fileURLToPath(new URL('./fixtures/twitch-test-cert.pem', import.meta.url));
const TLS_FRONT_KEY = fileURLToPath(new URL('./fixtures/twitch-test-key.pem', import.meta.url));

/** The host name the front's certificate names. */
export const TLS_FRONT_HOST = 'twitch.test';

/** An https front on 127.0.0.1 for a plain-http test server, as `twitch.test`. */
export interface TlsFront {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts TLS for `twitch.test` on a free port of 127.0.0.1, forwarding every connection to
 * `upstreamPort`.
 *
 * @example
 * const front = await startTlsFront(helixPort); // https://twitch.test (through a proxy that resolves it) → the simulator
 */
export async function startTlsFront(upstreamPort: number): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const server = createServer({ key: await readFile(TLS_FRONT_KEY), cert: await readFile(TLS_FRONT_CERTIFICATE) }, (client) => {
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
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
