import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

/** A forward proxy on 127.0.0.1 that tunnels `CONNECT host:port`, as corporate proxies do. */
export interface ConnectProxy {
  url: string;
  port: number;
  /** `host:port` of every tunnel asked for, and the Proxy-Authorization it came with. */
  tunnels: { target: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

/**
 * Starts the proxy; with `credentials` (`user:password`) it answers 407 to a tunnel without them.
 * `routes` resolve names as a proxy's DNS would: a tunnel to `twitch.test:443` goes to the
 * `127.0.0.1:port` given for it.
 *
 * @example
 * const proxy = await startConnectProxy();
 * // HTTP_PROXY=proxy.url … then proxy.tunnels lists what went through it
 */
export async function startConnectProxy(credentials?: string, routes: Record<string, string> = {}): Promise<ConnectProxy> {
  const tunnels: ConnectProxy['tunnels'] = [];
  const sockets = new Set<Socket>();
  const expected = credentials ? `Basic ${Buffer.from(credentials).toString('base64')}` : undefined;
  const server = createServer((_request, response) => {
    response.writeHead(501).end('this proxy only tunnels');
  });
  server.on('connect', (request: IncomingMessage, client: Socket) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const authorization = request.headers['proxy-authorization'];
    tunnels.push({ target: request.url ?? '', authorization });
    if (expected && authorization !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (routes[request.url ?? ''] ?? request.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tunnels,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
