import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlString, withEngine } from '@twitch-pipeline/duckdb';
import { startHelixSimulator, type HelixSimulator } from '@twitch-pipeline/helix-simulator';
import { isAllowed, runMockedProgram, statementsOf, type MockedProgram } from '@twitch-pipeline/infra-components/testing';
import { EarlierSnapshotKeptError, extractSnapshot, pendingBronzeKeys, publishSnapshot, runGold, runSilver } from '@twitch-pipeline/pipeline';
import { bronzeKey as bronzeKeyOf, loadConfig, silverKey } from '@twitch-pipeline/schemas';
import { LocalEventQueue, LocalObjectStore, type ObjectStore } from '@twitch-pipeline/storage';
import { HelixClient } from '@twitch-pipeline/twitch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, type FunctionName } from '../src/config';

// Runs the real pipeline steps (the code the Lambdas run) against a local lake, records every
// object-store call each step makes as the S3 request it becomes in AWS, and evaluates each
// one against that function's role from the stack (built under Pulumi's unit-test mocks).
// A step that needs an access its role lacks fails here instead of in production.
const LAKE = 'twitch-lake';
const COLLECTED_AT = new Date('2026-11-29T21:30:00Z');

interface LakeRequest {
  fn: FunctionName;
  action: string;
  resource: string;
  context: Record<string, string>;
}

const requests: LakeRequest[] = [];
let current: FunctionName = 'extract';
let program: MockedProgram;
let simulator: HelixSimulator;
let workDir: string;

function record(action: string, key: string, context: Record<string, string> = {}): void {
  requests.push({ fn: current, action, resource: `arn:aws:s3:::${LAKE}/${key}`, context });
}

/** The object store as S3 sees it: each call recorded as the IAM action it needs. */
function recording(store: ObjectStore): ObjectStore {
  const recorded =
    <A extends unknown[], R>(action: string, call: (key: string, ...rest: A) => Promise<R>) =>
    (key: string, ...rest: A): Promise<R> => {
      record(action, key);
      return call(key, ...rest);
    };
  return {
    location: store.location,
    put: recorded('s3:PutObject', (key, body: Uint8Array | string) => store.put(key, body)),
    putFile: recorded('s3:PutObject', (key, path: string) => store.putFile(key, path)),
    get: recorded('s3:GetObject', (key) => store.get(key)),
    getFile: recorded('s3:GetObject', (key, path: string) => store.getFile(key, path)),
    // Asked as a listing of the key itself (see S3ObjectStore.exists): s3:prefix is the key.
    exists: (key) => {
      requests.push({ fn: current, action: 's3:ListBucket', resource: `arn:aws:s3:::${LAKE}`, context: { 's3:prefix': key } });
      return store.exists(key);
    },
    delete: recorded('s3:DeleteObject', (key) => store.delete(key)),
    // A delete conditional on an entity tag needs s3:GetObject as well as s3:DeleteObject.
    deleteIfUnchanged: (object) => {
      record('s3:GetObject', object.key);
      record('s3:DeleteObject', object.key);
      return store.deleteIfUnchanged(object);
    },
    list: (prefix) => {
      requests.push({ fn: current, action: 's3:ListBucket', resource: `arn:aws:s3:::${LAKE}`, context: { 's3:prefix': prefix } });
      return store.list(prefix);
    },
  };
}

async function as<T>(fn: FunctionName, step: () => Promise<T>): Promise<T> {
  current = fn;
  return step();
}

beforeAll(async () => {
  program = await runMockedProgram(
    {
      project: 'twitch-pipeline-pipeline',
      stack: 'test',
      config: { twitchClientId: 'id', twitchClientSecret: 'secret' },
      secretKeys: ['twitchClientId', 'twitchClientSecret'],
      stackOutputs: {
        'organization/twitch-pipeline-data/test': {
          region: 'sa-east-1',
          lakeBucketName: LAKE,
          lakeBucketArn: `arn:aws:s3:::${LAKE}`,
          realtimeTableName: 'realtime',
          realtimeTableArn: 'arn:aws:dynamodb:sa-east-1:123456789012:table/realtime',
        },
      },
    },
    () => import('../index'),
  );

  workDir = await mkdtemp(join(tmpdir(), 'lake-access-'));
  simulator = await startHelixSimulator({ seed: 7, averageLiveChannels: 400, startTime: COLLECTED_AT, faults: { malformedRate: 0.05 } });
  const config = loadConfig({ PIPELINE_LANGUAGES: 'pt,en', PIPELINE_MAX_STREAMS_PER_LANGUAGE: '100', PIPELINE_INTERVAL_MINUTES: '30' });
  const client = new HelixClient({ apiUrl: simulator.apiUrl, authUrl: simulator.authUrl, ...simulator.credentials });
  const lake = new LocalObjectStore(join(workDir, 'lake'));
  const store = recording(lake);
  const queue = new LocalEventQueue(join(workDir, 'queue'));

  // A snapshot with rejected records, then its rerun without any: quarantine written, then removed.
  await as('extract', () => extractSnapshot({ source: client, store, config, collectedAt: COLLECTED_AT, now: COLLECTED_AT }));
  simulator.setFaults({ malformedRate: 0 });
  const extract = await as('extract', () => extractSnapshot({ source: client, store, config, collectedAt: COLLECTED_AT, now: COLLECTED_AT }));
  // A rerun whose every record is quarantined: it reads the slot's bronze object, keeps it, and
  // writes its rejected records under a key of their own.
  simulator.setFaults({ malformedRate: 1 });
  await expect(as('extract', () => extractSnapshot({ source: client, store, config, collectedAt: COLLECTED_AT, now: COLLECTED_AT }))).rejects.toThrow(
    EarlierSnapshotKeptError,
  );
  simulator.setFaults({ malformedRate: 0 });
  const { bronzeKey, snapshotId } = extract;
  await as('publish', () => publishSnapshot({ store, queue, bronzeKey, snapshotId, timeZone: config.timeZone }));
  // The state machine names the snapshot; a manual run without keys finds the pending ones.
  const silver = await as('transform-silver', () => runSilver({ store, timeZone: config.timeZone, bronzeKeys: [bronzeKey] }));
  await as('transform-silver', () => pendingBronzeKeys(store));
  await as('transform-gold', () => runGold({ store, dates: silver.dates, includePending: true, silver: { timeZone: config.timeZone } }));
  // Unreadable objects (written past the recorder): silver sets a torn bronze object aside, gold a torn silver one.
  const tornBronze = bronzeKeyOf(extract.dt, '20261129T200000Z');
  await lake.put(tornBronze, 'PAR1');
  await lake.put(silverKey(extract.dt, snapshotId), '');
  await as('transform-silver', () => runSilver({ store, timeZone: config.timeZone, bronzeKeys: [tornBronze] }));
  await as('transform-gold', () => runGold({ store, dates: silver.dates, includePending: true, silver: { timeZone: config.timeZone } }));
  // A silver object an earlier version of the models wrote (no version in its footer), kept across an
  // upgrade: gold rebuilds it from bronze with the silver step before reading it.
  await as('transform-silver', () => runSilver({ store, timeZone: config.timeZone }));
  const outdated = lake.pathOf(silverKey(extract.dt, snapshotId));
  await withEngine({}, (engine) => engine.copyToParquet(`SELECT * FROM read_parquet(${sqlString(outdated)})`, undefined, `${outdated}.old`));
  await rename(`${outdated}.old`, outdated);
  const gold = await as('transform-gold', () => runGold({ store, dates: silver.dates, includePending: true, silver: { timeZone: config.timeZone } }));
  expect(gold.outdated).toEqual([{ key: silverKey(extract.dt, snapshotId), found: null, action: 'rebuilt' }]);
  // A bronze object the extract wrote before it named its time zone, run again by hand (the AWS
  // rebuild procedure): silver reads the zone its silver object was dated in, then, with that
  // object gone, finds it missing and dates the snapshot in the setting.
  const legacy = lake.pathOf(bronzeKey);
  await withEngine({}, (engine) => engine.copyToParquet(`SELECT * FROM read_parquet(${sqlString(legacy)})`, undefined, `${legacy}.old`));
  await rename(`${legacy}.old`, legacy);
  const fromSilverZone = await as('transform-silver', () => runSilver({ store, timeZone: config.timeZone, bronzeKeys: [bronzeKey] }));
  await lake.delete(silverKey(extract.dt, snapshotId));
  const fromSetting = await as('transform-silver', () => runSilver({ store, timeZone: config.timeZone, bronzeKeys: [bronzeKey] }));
  expect([fromSilverZone.failed, fromSetting.failed]).toEqual([[], []]);
}, 120_000);

afterAll(async () => {
  await simulator?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('lake access of the real steps', () => {
  it('records the S3 requests of every lake-using step, deletes of stale quarantine included', () => {
    // prepare
    const lakeUsers = FUNCTION_NAMES.filter((fn) => fn !== 'stream-consumer');
    // act
    const steps = new Set(requests.map((request) => request.fn));
    const actions = new Set(requests.map((request) => request.action));
    // assess
    expect([...steps].sort()).toEqual([...lakeUsers].sort());
    expect([...actions].sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
  });

  it("allows every request a step made by that function's role", () => {
    // prepare
    const policies = Object.fromEntries(
      FUNCTION_NAMES.map((fn) => [fn, statementsOf(program.one('aws:iam/rolePolicy:RolePolicy', fn).inputs.policy)]),
    );
    // act
    const denied = requests.filter((request) => !isAllowed(policies[request.fn]!, request.action, request.resource, request.context));
    // assess
    expect(denied).toEqual([]);
  });
});
