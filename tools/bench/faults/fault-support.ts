import { spawn } from 'node:child_process';
import { truncate } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parquetFileProblem, sqlFileList, withEngine } from '@twitch-pipeline/duckdb';
import { LAKE_PREFIXES } from '@twitch-pipeline/schemas';
import type { LocalObjectStore } from '@twitch-pipeline/storage';

const CLI = fileURLToPath(new URL('../../../apps/cli/bin/twitch-pipeline.mjs', import.meta.url));

/** What a finished CLI process did. */
export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `twitch-pipeline` command on the data directory; with `killAfterStep` it is
 * killed with SIGKILL as soon as it reports that step done, so the kill lands in the next step
 * (a crash mid-write: no handler, no cleanup).
 *
 * @example
 * const { code } = await runCli(['status'], dataDir);
 */
export function runCli(args: string[], dataDir: string, killAfterStep?: string): Promise<CliOutcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, PIPELINE_DATA_DIR: dataDir, PIPELINE_INTERVAL_MINUTES: '60', NO_COLOR: '1' };
  delete env.TWITCH_CLIENT_ID;
  delete env.TWITCH_CLIENT_SECRET;
  const child = spawn(process.execPath, [CLI, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (killAfterStep && new RegExp(`^ {2}${killAfterStep} `, 'm').test(stderr)) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * A loopback proxy in front of the simulator whose first `GET /streams` answers 429 with a
 * `Ratelimit-Reset` an hour ahead; everything else is passed through.
 *
 * @example
 * const proxy = await farResetProxy(simulator.apiUrl, simulator.authUrl);
 */
export async function farResetProxy(apiUrl: string, authUrl: string): Promise<{ apiUrl: string; authUrl: string; close(): Promise<void> }> {
  let refused = false;
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (!refused && path.startsWith('/helix/streams')) {
      refused = true;
      const reset = String(Math.ceil(Date.now() / 1000) + 3600);
      response.writeHead(429, { 'content-type': 'application/json', 'ratelimit-limit': '800', 'ratelimit-remaining': '0', 'ratelimit-reset': reset });
      response.end(JSON.stringify({ error: 'Too Many Requests', status: 429, message: 'rate limit exceeded' }));
      return;
    }
    const upstream = path.startsWith('/helix') ? `${apiUrl}${path.slice('/helix'.length)}` : `${authUrl}${path.slice('/oauth2'.length)}`;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name))) as Record<string, string>;
      fetch(upstream, { method: request.method, headers, body: request.method === 'POST' ? Buffer.concat(chunks) : undefined })
        .then(async (reply) => {
          response.writeHead(reply.status, Object.fromEntries(reply.headers));
          response.end(Buffer.from(await reply.arrayBuffer()));
        })
        .catch(() => response.destroy());
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/helix`,
    authUrl: `http://127.0.0.1:${port}/oauth2`,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}

/** Row counts of the lake's layers, read from the Parquet files themselves. */
export interface LakeCounts {
  bronzeObjects: number;
  bronzeRows: number;
  silverRows: number;
  quarantinedAtSilver: number;
  /** Records the extract quarantined (never in bronze). */
  quarantinedAtExtract: number;
  /** Distinct (channel, collection time) pairs in bronze: the events the real-time path must hold. */
  distinctEvents: number;
  /** Objects set aside under quarantine/corrupt/. */
  corruptObjects: number;
  /** Bronze and silver objects still unreadable (left out of these counts). */
  unreadable: number;
}

/**
 * Counts the lake's rows layer by layer with DuckDB (the files are read whole, not trusted
 * from any record).
 *
 * @example
 * const counts = await lakeCounts(store);
 */
export async function lakeCounts(store: LocalObjectStore): Promise<LakeCounts> {
  let unreadable = 0;
  const files = async (prefix: string, suffix = '.parquet') => {
    const paths = (await store.list(prefix)).filter((object) => object.key.endsWith(suffix)).map((object) => store.pathOf(object.key));
    if (suffix !== '.parquet') return paths;
    const readable: string[] = [];
    for (const path of paths) {
      if (await parquetFileProblem(path)) unreadable += 1;
      else readable.push(path);
    }
    return readable;
  };
  const [bronze, silver, quarantine, extractQuarantine, corrupt] = await Promise.all([
    files(LAKE_PREFIXES.bronze),
    files(LAKE_PREFIXES.silver),
    files(LAKE_PREFIXES.quarantine, '-silver.parquet'),
    files(LAKE_PREFIXES.quarantine, '-bronze.parquet'),
    files(LAKE_PREFIXES.corrupt, '.reason.json'),
  ]);
  return withEngine({}, async (engine) => {
    const count = async (sql: string, paths: string[]) => (paths.length === 0 ? 0 : Number((await engine.all<{ n: number }>(sql.replace('$files', sqlFileList(paths))))[0]?.n ?? 0));
    return {
      bronzeObjects: bronze.length,
      bronzeRows: await count('SELECT count(*) AS n FROM read_parquet($files)', bronze),
      silverRows: await count('SELECT count(*) AS n FROM read_parquet($files)', silver),
      quarantinedAtSilver: await count('SELECT count(*) AS n FROM read_parquet($files)', quarantine),
      quarantinedAtExtract: await count('SELECT count(*) AS n FROM read_parquet($files)', extractQuarantine),
      distinctEvents: await count('SELECT count(DISTINCT (lower(user_login), collected_at)) AS n FROM read_parquet($files)', bronze),
      corruptObjects: corrupt.length,
      unreadable,
    };
  });
}

/**
 * Tears a lake object as a crash without atomic publishing would: cuts it to `keepFraction` of
 * its bytes (0 leaves an empty file).
 *
 * @example
 * await tearObject(store, key, 0.5);
 */
export async function tearObject(store: LocalObjectStore, key: string, keepFraction: number): Promise<void> {
  const bytes = await store.get(key);
  await truncate(store.pathOf(key), Math.floor(bytes.length * keepFraction));
}
