import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../src/state-machine-definition';
import { STEP_ARNS } from './support/step-arns';
import { node24Gate } from './support/node24';

// The definition's intrinsic functions, choices and catches are run by aws-local-stepfunctions,
// an interpreter of the Amazon States Language, rather than read back from the JSON. It needs
// Node 22 or later (Promise.withResolvers), so it runs under the Node 24 binary CI provides. The
// tasks (listExecutions, the functions, the topic) are replaced by local functions: Step
// Functions' own service cannot run here.
const SUITE = 'state machine, interpreted';
const node24 = node24Gate(SUITE);
const run = promisify(execFile);

const EXECUTION = 'arn:aws:states:sa-east-1:123456789012:execution:pipeline:';

/** Runs the definition once per case and prints, per case, the first state after the guard it reached (where it stops). */
const DRIVER = `
import { readFileSync } from 'node:fs';
const [interpreter, definitionFile, casesJson] = process.argv.slice(2);
const { StateMachine } = await import(interpreter);
const machine = new StateMachine(JSON.parse(readFileSync(definitionFile, 'utf8')), { validationOptions: { checkArn: true, checkPaths: true } });
const reached = [];
for (const { self, listed } of JSON.parse(casesJson)) {
  let first;
  const stop = (state) => async (input) => {
    first ??= state === 'NotifyFailure' ? state + ': ' + input.Message : state;
    execution.abort();
    return {};
  };
  const execution = machine.run({}, {
    context: { Execution: { Id: self, Name: self.split(':').at(-1), StartTime: '2026-12-06T00:30:00Z' }, StateMachine: { Id: 'arn:aws:states:sa-east-1:123456789012:stateMachine:pipeline' } },
    overrides: {
      taskResourceLocalHandlers: { CheckRunning: async () => ({ Executions: listed }), Extract: stop('Extract'), NotifySkipped: stop('NotifySkipped'), NotifyFailure: stop('NotifyFailure') },
    },
    noThrowOnAbort: true,
  });
  await execution.result;
  reached.push(first);
}
console.log(JSON.stringify(reached));
`;

/**
 * Runs the definition once with every task a local function, those named failing, and prints the
 * payload each function step got, then (the last line) the tasks it reached in order and the
 * error the execution ended with.
 */
const RUN_DRIVER = `
import { readFileSync } from 'node:fs';
const [interpreter, definitionFile, failing, overrides] = process.argv.slice(2);
const { StateMachine } = await import(interpreter);
const machine = new StateMachine(JSON.parse(readFileSync(definitionFile, 'utf8')), { validationOptions: { checkArn: true, checkPaths: true } });
const reached = [];
const payloads = {};
const results = {
  CheckRunning: { Executions: [] },
  Extract: { Payload: { bronzeKey: 'raw/streams/dt=2026-12-05/20261206T003000Z.parquet', collectedAt: '2026-12-06T00:30:00.000Z' } },
  Publish: { Payload: { events: 1 } },
  Silver: { Payload: { dates: ['2026-12-05'], failed: [], corrupt: { count: 0, keys: [], leftOut: 0 } } },
  Gold: { Payload: { dates: ['2026-12-05'], failed: [], corrupt: { count: 0, keys: [], leftOut: 0 } } },
  ...JSON.parse(overrides ?? '{}'),
};
const task = (state) => async (input) => {
  if (input.FunctionName) payloads[state] = input.Payload;
  reached.push(state.startsWith('Notify') && state !== 'NotifySkipped' ? state + ': ' + input.Message.replace(/^Execution \\S+ /, '') : state);
  // A failing entry is a state's name, or 'State:ErrorName' for an error of that name.
  const failure = failing.split(',').map((entry) => entry.split(':')).find(([name]) => name === state);
  if (failure) throw Object.assign(new Error(state + ' refused a message'), { name: failure[1] ?? 'Error' });
  return results[state] ?? {};
};
const names = ['CheckRunning', 'Extract', 'Publish', 'Silver', 'Gold', 'NotifySetAside', 'NotifyFailure', 'NotifySkipped'];
const execution = machine.run({}, {
  context: { Execution: { Id: 'arn:aws:states:sa-east-1:123456789012:execution:pipeline:one', Name: 'one', StartTime: '2026-12-06T00:30:00Z' }, StateMachine: { Id: 'arn:aws:states:sa-east-1:123456789012:stateMachine:pipeline' } },
  overrides: {
    taskResourceLocalHandlers: Object.fromEntries(names.map((name) => [name, task(name)])),
    retryIntervalOverrides: Object.fromEntries(names.map((name) => [name, 0])),
  },
});
await execution.result.catch((error) => reached.push('ended: ' + error.cause?.name + ' ' + error.cause?.message));
console.log(JSON.stringify(payloads));
console.log(JSON.stringify(reached));
`;

const execution = (name: string, startDate: string) => ({
  ExecutionArn: `${EXECUTION}${name}`,
  StateMachineArn: 'arn:aws:states:sa-east-1:123456789012:stateMachine:pipeline',
  Name: name,
  Status: 'RUNNING',
  StartDate: startDate,
});

describe.skipIf(node24.skip)('state machine overlap guard, interpreted', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'state-machine-guard-'));
    await writeFile(join(folder, 'definition.json'), pipelineDefinition(STEP_ARNS));
    await writeFile(join(folder, 'driver.mjs'), DRIVER);
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function firstStateAfterGuard(cases: { self: string; listed: ReturnType<typeof execution>[] }[]): Promise<string[]> {
    const interpreter = pathToFileURL(createRequire(import.meta.url).resolve('aws-local-stepfunctions')).href.replace(/main\.node\.cjs$/, 'main.node.esm.js');
    const { stdout } = await run(node24.binary(), [join(folder, 'driver.mjs'), interpreter, join(folder, 'definition.json'), JSON.stringify(cases)], { encoding: 'utf8', timeout: 60_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
  }

  it('lets exactly one of two executions started in the same instant go on, the oldest listed', async () => {
    // Prepare: the listing is newest first, and both executions see it in the same order.
    const first = execution('cycle-a', '2026-12-06T00:30:00.000Z');
    const second = execution('cycle-b', '2026-12-06T00:30:00.000Z');

    // Act
    const reached = await firstStateAfterGuard([
      { self: first.ExecutionArn, listed: [second, first] },
      { self: second.ExecutionArn, listed: [second, first] },
    ]);

    // Assess
    expect(reached).toEqual(['Extract', 'NotifySkipped']);
  });

  it('goes on alone, and skips while an earlier execution runs, whether or not the listing shows this one yet', async () => {
    // Prepare
    const earlier = execution('cycle-0000', '2026-12-06T00:00:00.000Z');
    const self = execution('cycle-0030', '2026-12-06T00:30:00.000Z');

    // Act
    const reached = await firstStateAfterGuard([
      { self: self.ExecutionArn, listed: [self] },
      { self: self.ExecutionArn, listed: [] },
      { self: self.ExecutionArn, listed: [self, earlier] },
      { self: self.ExecutionArn, listed: [earlier] },
    ]);

    // Assess
    expect(reached).toEqual(['Extract', 'Extract', 'NotifySkipped', 'NotifySkipped']);
  });

  it('skips when the listing fills its page, since the oldest running execution may lie beyond it', async () => {
    // Prepare: 101 running, the page holding the newest 100; this one is the oldest of them but not of all.
    const page = Array.from({ length: 100 }, (_, index) => execution(`cycle-${String(100 - index).padStart(3, '0')}`, new Date(Date.UTC(2026, 11, 6, 0, 0, 100 - index)).toISOString()));

    // Act
    const reached = await firstStateAfterGuard([{ self: page.at(-1)!.ExecutionArn, listed: page }]);

    // Assess
    expect(reached).toEqual(['NotifySkipped']);
  });
});

describe.skipIf(node24.skip)('state machine run, interpreted', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'state-machine-run-'));
    await writeFile(join(folder, 'definition.json'), pipelineDefinition(STEP_ARNS));
    await writeFile(join(folder, 'driver.mjs'), RUN_DRIVER);
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('takes the snapshot through silver and gold when its publish fails for good, then names the publish failure', async () => {
    // Act
    const interpreter = pathToFileURL(createRequire(import.meta.url).resolve('aws-local-stepfunctions')).href.replace(/main\.node\.cjs$/, 'main.node.esm.js');
    const { stdout } = await run(node24.binary(), [join(folder, 'driver.mjs'), interpreter, join(folder, 'definition.json'), 'Publish'], { encoding: 'utf8', timeout: 60_000 });
    const reached = JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];

    // Assess: the step is tried as often as its retries allow, then silver and gold run
    const first = reached.indexOf('Publish');
    expect(reached.slice(0, first)).toEqual(['CheckRunning', 'Extract']);
    expect(reached.slice(first).filter((state) => state === 'Publish').length).toBeGreaterThan(1);
    expect(reached.slice(reached.lastIndexOf('Publish') + 1)).toEqual([
      'Silver',
      'Gold',
      'NotifyFailure: failed: Error Publish refused a message',
      'ended: Error Publish refused a message',
    ]);
  });

  it("ends with the failing step's own error when the notice of it cannot be sent either", async () => {
    // act: the extract fails for good, and so does every attempt to publish to the alerts topic
    const interpreter = pathToFileURL(createRequire(import.meta.url).resolve('aws-local-stepfunctions')).href.replace(/main\.node\.cjs$/, 'main.node.esm.js');
    const { stdout } = await run(node24.binary(), [join(folder, 'driver.mjs'), interpreter, join(folder, 'definition.json'), 'Extract,NotifyFailure'], { encoding: 'utf8', timeout: 60_000 });
    const reached = JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];

    // assess: the notice is retried, then the execution ends as the extract failed, not as SNS did
    const notices = reached.filter((state) => state.startsWith('NotifyFailure'));
    expect(notices.length).toBeGreaterThan(1);
    expect(new Set(notices)).toEqual(new Set(['NotifyFailure: failed: Error Extract refused a message']));
    expect(reached.at(-1)).toBe('ended: Error Extract refused a message');
  });

  it('fails at once, without retries, when a step refuses its input, misses a setting or reads malformed or unreadable credentials', async () => {
    // act: the extract fails as its handler does when started with an input it does not accept, when its bucket is not set, when the credentials parameter has the wrong shape, and when Parameter Store will not hand it over; and as a throttled read of it does
    const interpreter = pathToFileURL(createRequire(import.meta.url).resolve('aws-local-stepfunctions')).href.replace(/main\.node\.cjs$/, 'main.node.esm.js');
    const runs = await Promise.all(
      [
        'Extract:InvalidStepInputError',
        'Extract:MissingSettingError',
        'Extract:MalformedCredentialsError',
        'Extract:HelixRequestError',
        'Extract:UnreadableCredentialsError',
        'Extract:GetParameterError',
      ].map(async (failing) => {
        const { stdout } = await run(node24.binary(), [join(folder, 'driver.mjs'), interpreter, join(folder, 'definition.json'), failing], { encoding: 'utf8', timeout: 60_000 });
        return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
      }),
    );

    // assess: one attempt each, then the notice and the step's own error; a Twitch failure and a throttled read of the parameter are still retried
    expect(runs[0]).toEqual(['CheckRunning', 'Extract', 'NotifyFailure: failed: InvalidStepInputError Extract refused a message', 'ended: InvalidStepInputError Extract refused a message']);
    expect(runs[1]).toEqual(['CheckRunning', 'Extract', 'NotifyFailure: failed: MissingSettingError Extract refused a message', 'ended: MissingSettingError Extract refused a message']);
    expect(runs[2]).toEqual(['CheckRunning', 'Extract', 'NotifyFailure: failed: MalformedCredentialsError Extract refused a message', 'ended: MalformedCredentialsError Extract refused a message']);
    expect(runs[3]?.filter((state) => state === 'Extract')).toEqual(['Extract', 'Extract']);
    expect(runs[4]).toEqual(['CheckRunning', 'Extract', 'NotifyFailure: failed: UnreadableCredentialsError Extract refused a message', 'ended: UnreadableCredentialsError Extract refused a message']);
    expect(runs[5]?.filter((state) => state === 'Extract')).toEqual(['Extract', 'Extract']);
  });

  it("passes each function step the execution's name beside the input it had, which the functions log", async () => {
    // prepare: the schedule's input
    const interpreter = pathToFileURL(createRequire(import.meta.url).resolve('aws-local-stepfunctions')).href.replace(/main\.node\.cjs$/, 'main.node.esm.js');

    // act
    const { stdout } = await run(node24.binary(), [join(folder, 'driver.mjs'), interpreter, join(folder, 'definition.json'), 'none'], { encoding: 'utf8', timeout: 60_000 });
    const payloads = JSON.parse(stdout.trim().split('\n').at(-2)!) as Record<string, Record<string, unknown>>;

    // assess: the extract still gets the execution's input, and publish the extract's summary
    expect(Object.keys(payloads)).toEqual(['Extract', 'Publish', 'Silver', 'Gold']);
    for (const payload of Object.values(payloads)) expect(payload.executionName).toBe('one');
    expect(payloads.Extract).toMatchObject({ guard: { running: 0 } });
    expect(payloads.Publish).toEqual({ bronzeKey: 'raw/streams/dt=2026-12-05/20261206T003000Z.parquet', collectedAt: '2026-12-06T00:30:00.000Z', executionName: 'one' });
    expect(payloads.Gold).toEqual({ dates: ['2026-12-05'], collectedAt: '2026-12-06T00:30:00.000Z', executionName: 'one' });
  });

  it('tells the alerts topic of the objects silver and gold set aside, and ends the run as succeeded when nothing failed', async () => {
    // prepare: silver set one bronze object aside; gold none (the driver's default)
    const bronze = 'raw/streams/dt=2026-12-05/20261206T000000Z.parquet';
    const overrides = {
      Silver: { Payload: { dates: ['2026-12-05'], failed: [], corrupt: { count: 1, keys: [bronze], leftOut: 0 } } },
    };

    // act
    const interpreter = pathToFileURL(createRequire(import.meta.url).resolve('aws-local-stepfunctions')).href.replace(/main\.node\.cjs$/, 'main.node.esm.js');
    const { stdout } = await run(node24.binary(), [join(folder, 'driver.mjs'), interpreter, join(folder, 'definition.json'), 'none', JSON.stringify(overrides)], { encoding: 'utf8', timeout: 60_000 });
    const reached = JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];

    // assess
    expect(reached).toEqual([
      'CheckRunning',
      'Extract',
      'Publish',
      'Silver',
      'Gold',
      `NotifySetAside: moved lake objects it could not read or transform to quarantine/corrupt/ (a .reason.json beside each says why). Silver: {"count":1,"keys":["${bronze}"],"leftOut":0} Gold: {"count":0,"keys":[],"leftOut":0}`,
    ]);
  });
});
