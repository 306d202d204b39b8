import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { RealtimeEvent, RealtimeItem } from '@twitch-pipeline/schemas';
import { DynamoRealtimeTable, LocalRealtimeTable } from '@twitch-pipeline/storage';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertRulesError, awsAlertHook, LocalAlertLog, localAlertHook, localAlertsDirectory } from '../src/index';
import { startDynaliteTable } from './support/dynalite';
import { eventOf } from './support/events';
import { duplicatedAndShuffled, EXPECTED_KEYS, scenarioMessages, scenarioRules } from './support/scenario';

/** The scenario's clock: after its last snapshot, well before its items expire. */
const NOW = Date.parse('2026-11-29T23:30:00Z');

function itemsOf(events: readonly RealtimeEvent[]): RealtimeItem[] {
  return events.map((event) => ({ ...event, expira_em: Math.floor(Date.parse(event.timestamp) / 1000) + 48 * 3600 }));
}

describe('alert hooks over the real-time table', () => {
  let directory: string;
  let rulesFile: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'alert-hook-'));
    rulesFile = join(directory, 'rules.json');
    await writeFile(rulesFile, JSON.stringify(scenarioRules));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('raises nothing without rules, and fails at start on a bad file', async () => {
    // prepare
    const table = new LocalRealtimeTable(join(directory, 'realtime'), () => NOW);
    const bad = join(directory, 'bad.json');
    await writeFile(bad, JSON.stringify({ rules: [{ name: 'raids', type: 'viewer_jump', factor: 0, minIncrease: 1 }] }));

    // act
    const off = localAlertHook({ dataDir: directory, alertRulesFile: undefined }, table);
    for (const events of scenarioMessages()) await off(events);
    const failure = (() => {
      try {
        localAlertHook({ dataDir: directory, alertRulesFile: bad }, table);
        return undefined;
      } catch (error) {
        return error;
      }
    })();

    // assess
    const { alerts: logged } = await new LocalAlertLog(localAlertsDirectory({ dataDir: directory })).list();
    expect(logged).toEqual([]);
    expect(failure).toBeInstanceOf(AlertRulesError);
    expect((failure as Error).message).toContain('rules[0] "raids" (viewer_jump): factor: must be at least 1');
  });

  it('takes a category rule turned on again as a new baseline, not a crossing from the last snapshot it saw hours before', async () => {
    // prepare: Just Chatting above 1,000 viewers from 21:30 on; the rule set at 21:00, unset at
    // 21:30 and 22:00 (locally no rules at all; in AWS, where a deployment without rules keeps
    // no hook, a channel rule alone), set again at 22:30; each run a process (a container) of its own
    const table = new LocalRealtimeTable(join(directory, 'realtime'), () => NOW);
    const rules = JSON.stringify({ rules: [{ name: 'jc-1k', type: 'category_audience', category: 'Just Chatting', threshold: 1000 }] });
    const snapshot = (timestamp: string, espectadores: number) => [eventOf({ nome_streamer: 'canal', timestamp, espectadores, nome_categoria: 'Just Chatting' })];
    const runs: [string | undefined, RealtimeEvent[]][] = [
      [rules, snapshot('2026-11-29T21:00:00.000Z', 500)],
      [undefined, snapshot('2026-11-29T21:30:00.000Z', 1500)],
      [undefined, snapshot('2026-11-29T22:00:00.000Z', 1600)],
      [rules, snapshot('2026-11-29T22:30:00.000Z', 1700)],
    ];

    const dynamo = await startDynaliteTable('realtime-baseline');
    const dynamoTable = new DynamoRealtimeTable(dynamo.client, dynamo.tableName, { now: () => NOW });
    const channelRuleOnly = JSON.stringify({ rules: [{ name: 'pro', type: 'channel_live', channels: ['gaules'] }] });
    const awsConfig = (alertRules: string | undefined) => ({ alertRules: alertRules ?? channelRuleOnly, realtimeTtlHours: 48, aws: { realtimeTable: dynamo.tableName } });
    const raised: string[] = [];

    // act
    try {
      for (const [alertRules, events] of runs) {
        await localAlertHook({ dataDir: directory, alertRules }, table)(events);
        await awsAlertHook(awsConfig(alertRules), dynamoTable, dynamo.client, { onAlert: (alert) => raised.push(alert.key) })!(events);
      }
    } finally {
      await dynamo.close();
    }

    // assess
    const { alerts: logged } = await new LocalAlertLog(localAlertsDirectory({ dataDir: directory })).list();
    expect(logged).toEqual([]);
    expect(raised).toEqual([]);
  });

  it('fires each alert once through the local table and log under duplicated, shuffled delivery', async () => {
    // prepare
    const table = new LocalRealtimeTable(join(directory, 'realtime'), () => NOW);
    const onWritten = localAlertHook({ dataDir: directory, alertRulesFile: rulesFile }, table)!;

    // act
    for (const events of duplicatedAndShuffled(scenarioMessages(), 5)) {
      await table.putItems(itemsOf(events));
      await onWritten(events);
    }

    // assess
    const { alerts: logged } = await new LocalAlertLog(localAlertsDirectory({ dataDir: directory })).list();
    expect(logged.map((alert) => alert.key).sort()).toEqual(EXPECTED_KEYS);
  });

  it('fires the same alerts when the samples are older than the time to live, as a backfill of last week writes them', async () => {
    // prepare: the scenario replayed five days later, when every one of its items has expired
    const table = new LocalRealtimeTable(join(directory, 'realtime'), () => NOW + 5 * 86_400_000);
    const onWritten = localAlertHook({ dataDir: directory, alertRulesFile: rulesFile }, table)!;

    // act
    for (const events of scenarioMessages()) {
      await table.putItems(itemsOf(events));
      await onWritten(events);
    }

    // assess
    const { alerts: logged } = await new LocalAlertLog(localAlertsDirectory({ dataDir: directory })).list();
    expect(logged.map((alert) => alert.key).sort()).toEqual(EXPECTED_KEYS);
  });

  it('fires each alert once through DynamoDB (dynalite) and SNS under duplicated, shuffled delivery', async () => {
    // prepare: no SNS emulator runs here, so SNS is aws-sdk-client-mock; DynamoDB is dynalite.
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const dynamo = await startDynaliteTable('realtime-hook');
    const table = new DynamoRealtimeTable(dynamo.client, dynamo.tableName, { now: () => NOW });
    const config = {
      alertRulesFile: rulesFile,
      realtimeTtlHours: 48,
      aws: { realtimeTable: dynamo.tableName, alertsTopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' },
    };
    const onWritten = awsAlertHook(config, table, dynamo.client, { sns: new SNSClient({}) })!;
    let published: string[] = [];

    // act
    try {
      for (const events of duplicatedAndShuffled(scenarioMessages(), 21)) {
        await table.putItems(itemsOf(events));
        await onWritten(events);
      }
      published = sns.commandCalls(PublishCommand).map((call) => call.args[0].input.Message ?? '');
    } finally {
      await dynamo.close();
      sns.restore();
    }

    // assess
    const keys = published.map((message) => (JSON.parse(message.split('\n\n')[1]!) as { key: string }).key);
    expect(keys.sort()).toEqual(EXPECTED_KEYS);
  });

  it('finds a jump whose earlier sample arrives after more than a dozen later ones, locally and in DynamoDB', async () => {
    // prepare: a raid (100 → 5,000 viewers, the scenario's any-raid rule) whose first sample is
    // delivered last, after fourteen later samples of the same stream
    const times = Array.from({ length: 15 }, (_, index) => new Date(Date.parse('2026-11-29T14:00:00Z') + index * 1_800_000).toISOString());
    const [first, ...later] = times.map((timestamp, index) =>
      eventOf({ nome_streamer: 'tardio', timestamp, id_stream: 't1', espectadores: index === 0 ? 100 : 5000 }),
    );
    const dynamo = await startDynaliteTable('realtime-late');
    const hooks = [
      { table: new LocalRealtimeTable(join(directory, 'realtime'), () => NOW), alertsDir: join(directory, 'local') },
      { table: new DynamoRealtimeTable(dynamo.client, dynamo.tableName, { now: () => NOW }), alertsDir: join(directory, 'aws') },
    ];
    const fired: string[][] = [[], []];

    // act
    try {
      for (const [index, { table, alertsDir }] of hooks.entries()) {
        const onWritten = localAlertHook({ dataDir: alertsDir, alertRulesFile: rulesFile }, table, (alert) => fired[index]!.push(alert.key))!;
        for (const event of [...later, first!]) {
          await table.putItems(itemsOf([event]));
          await onWritten([event]);
        }
      }
    } finally {
      await dynamo.close();
    }

    // assess: the same one alert through either table's forward query
    expect(fired[0]).toHaveLength(1);
    expect(fired[0]![0]).toContain('any-raid');
    expect(fired[1]).toEqual(fired[0]);
  });
});
