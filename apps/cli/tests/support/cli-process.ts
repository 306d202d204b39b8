import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** The command's launcher, for a test that starts it with its own pipes. */
export const BIN = fileURLToPath(new URL('../../bin/twitch-pipeline.mjs', import.meta.url));

/** What a finished CLI process printed and returned. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a CLI run on its own data directory: never Twitch credentials, so the
 * simulator is always the source.
 *
 * @example
 * const env = cliEnv(await temporaryDataDir());
 */
export function cliEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PIPELINE_DATA_DIR: dataDir, NO_COLOR: '1', ...extra };
  delete env.TWITCH_CLIENT_ID;
  delete env.TWITCH_CLIENT_SECRET;
  return env;
}

/**
 * The environment of a user with Twitch credentials, pointed at a Helix simulator standing in
 * for Twitch (the same API and OAuth endpoints).
 *
 * @example
 * const env = twitchEnv(dataDir, helix);
 */
export function twitchEnv(dataDir: string, helix: { apiUrl: string; authUrl: string; credentials: { clientId: string; clientSecret: string } }): NodeJS.ProcessEnv {
  return {
    ...cliEnv(dataDir),
    TWITCH_CLIENT_ID: helix.credentials.clientId,
    TWITCH_CLIENT_SECRET: helix.credentials.clientSecret,
    TWITCH_API_URL: helix.apiUrl,
    TWITCH_AUTH_URL: helix.authUrl,
  };
}

/**
 * A fresh temporary data directory.
 *
 * @example
 * const dataDir = await temporaryDataDir();
 */
export function temporaryDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'twitch-pipeline-cli-'));
}

/**
 * Makes temporary data directories for one test file, each removed once its tests are done.
 *
 * @example
 * const dataDirectory = useTemporaryDataDirs();
 * it('…', async () => { const dataDir = await dataDirectory(); });
 */
export function useTemporaryDataDirs(): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    for (const directory of made) await rm(directory, { recursive: true, force: true });
  });
  return async () => {
    const directory = await temporaryDataDir();
    made.push(directory);
    return directory;
  };
}

/**
 * Starts `twitch-pipeline <args>` as a subprocess (node + the bin launcher), in `cwd` when given.
 *
 * @example
 * const { child, finished } = spawnCli(['backfill', '--hours', '48'], env);
 * child.kill('SIGTERM');
 * const { code } = await finished;
 */
export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin?: string,
  cwd?: string,
): { child: ChildProcessWithoutNullStreams; finished: Promise<CliResult> } {
  return spawnWith(args, { env, cwd }, stdin);
}

/**
 * Runs `twitch-pipeline <args>` as a subprocess of another user (`uid` and `gid`: a test run as
 * root, which reads every file, sees what an ordinary user sees), or as this one without them.
 *
 * @example
 * const { code, stderr } = await runCliAs(['status'], env, { uid: 65534, gid: 65534 });
 */
export function runCliAs(args: string[], env: NodeJS.ProcessEnv, user?: { uid: number; gid: number }): Promise<CliResult> {
  return spawnWith(args, { env, ...user }).finished;
}

function spawnWith(
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number },
  stdin?: string,
): { child: ChildProcessWithoutNullStreams; finished: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], options);
  // Decoded as a stream: a character whose UTF-8 bytes a pipe splits between two chunks would
  // otherwise read as two replacement characters.
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const finished = new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  child.stdin.end(stdin ?? '');
  return { child, finished };
}

/**
 * Resolves with a spawned command's stderr so far once it matches `pattern`; rejects if the
 * process exits first.
 *
 * @example
 * const told = await stderrMatching(collector.child, /next cycle at (\S+)/);
 */
export function stderrMatching(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return streamMatching(child, 'stderr', pattern);
}

/**
 * Resolves with a spawned command's stdout so far once it matches `pattern`; rejects if the
 * process exits first.
 *
 * @example
 * const printed = await stdoutMatching(collector.child, /\n/);
 */
export function stdoutMatching(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return streamMatching(child, 'stdout', pattern);
}

function streamMatching(child: ChildProcessWithoutNullStreams, name: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: string) => {
      text += chunk;
      if (pattern.test(text)) {
        child[name].off('data', onData);
        resolve(text);
      }
    };
    child[name].on('data', onData);
    child.once('close', (code) => reject(new Error(`exited with ${code} before printing ${pattern} on ${name}: ${text}`)));
  });
}

/**
 * Runs `twitch-pipeline <args>` in the test's own process, as the launcher runs it, for a test
 * of what a command prints and returns rather than of its process (signals, pipes, start-up, a
 * warning about the lake, which a process writes once, so a second command here would not):
 * about half a second of CPU less than a subprocess. Bytes printed are decoded as a pipe's
 * reader decodes them.
 *
 * @example
 * const { code, stdout } = await runInProcess(['query', 'SELECT 1', '--format', 'csv'], env);
 */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const { main } = await import('../../src/main');
  const decoder = new TextDecoder();
  let stdout = '';
  let stderr = '';
  const io = {
    out: (text: string | Uint8Array) => {
      stdout += typeof text === 'string' ? text : decoder.decode(text, { stream: true });
    },
    err: (text: string) => {
      stderr += text;
    },
    drained: async () => {},
    interactive: false,
  };
  const code = await main(args, io, env);
  return { code, stdout: stdout + decoder.decode(), stderr };
}

/**
 * Runs `twitch-pipeline <args>` as a subprocess and waits for it.
 *
 * @example
 * const { code, stdout } = await runCli(['query', 'SELECT 1'], env);
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string, cwd?: string): Promise<CliResult> {
  return spawnCli(args, env, stdin, cwd).finished;
}

/** A CLI subprocess that keeps running (a server), with its first stdout text. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  firstOutput: string;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** Sends SIGINT and resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

/**
 * Starts `twitch-pipeline <args>` and waits until it prints something on stdout.
 *
 * @example
 * const server = await startCli(['dashboard', '--serve', '--port', '0', '--json'], env);
 * await server.interrupt();
 */
export function startCli(args: string[], env: NodeJS.ProcessEnv): Promise<RunningCli> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    let stderr = '';
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => child.on('close', done));
    child.on('close', (code) => reject(new Error(`exited with ${code} before printing: ${stderr}`)));
    child.stdout.once('data', (chunk: string) =>
      resolve({
        child,
        firstOutput: chunk,
        stderr: () => stderr,
        interrupt: () => {
          child.kill('SIGINT');
          return exited;
        },
      }),
    );
  });
}

/**
 * Parses the JSON a `--json` command printed, failing with its stderr when it did not succeed.
 *
 * @example
 * const status = jsonOf<{ runs: unknown[] }>(await runCli(['status', '--json'], env));
 */
export function jsonOf<T>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
