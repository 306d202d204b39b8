import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RealtimeEvent, RealtimeItem } from '@twitch-pipeline/schemas';
import { LocalRealtimeTable } from '@twitch-pipeline/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertRulesError, AlertRulesFile, loadAlertRulesSync, localAlerting } from '../src/index';
import { EXPECTED_KEYS, scenarioMessages, scenarioRules } from './support/scenario';

/** The scenario's clock: after its last snapshot, well before its items expire. */
const NOW = Date.parse('2026-11-29T23:30:00Z');

function itemsOf(events: readonly RealtimeEvent[]): RealtimeItem[] {
  return events.map((event) => ({ ...event, expira_em: Math.floor(Date.parse(event.timestamp) / 1000) + 48 * 3600 }));
}

const ONE_RULE = { rules: [{ name: 'pro', type: 'channel_live', channels: ['gaules'] }] };
const TWO_RULES = { rules: [...ONE_RULE.rules, { name: 'raids', type: 'viewer_jump', factor: 1.5, minIncrease: 200 }] };
const DUPLICATE_NAME = { rules: [...ONE_RULE.rules, { name: 'pro', type: 'viewer_jump', factor: 1.5, minIncrease: 200 }] };

/** The error start-up gives for the file as it is now. */
function startUpError(path: string): string {
  try {
    loadAlertRulesSync(path);
  } catch (error) {
    return (error as AlertRulesError).message;
  }
  throw new Error(`${path} is valid`);
}

describe('an alert rules file checked again after start', () => {
  let directory: string;
  let path: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'alert-rules-file-'));
    path = join(directory, 'rules.json');
    await writeFile(path, JSON.stringify(ONE_RULE));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reports nothing while the file is unchanged, and reloads a valid edit', async () => {
    // prepare
    const file = AlertRulesFile.open(path);

    // act
    const unchanged = file.check();
    await writeFile(path, JSON.stringify(TWO_RULES));
    const edited = file.check();
    const again = file.check();

    // assess
    expect(unchanged).toBeUndefined();
    expect(edited).toEqual({ outcome: 'reloaded', file: path, rules: TWO_RULES });
    expect(file.rules).toEqual(TWO_RULES);
    expect(again).toBeUndefined();
  });

  it('keeps the rules in force on an invalid edit, says why once, and reloads the fixed file', async () => {
    // prepare
    const file = AlertRulesFile.open(path);
    await writeFile(path, JSON.stringify(DUPLICATE_NAME));
    const expectedError = startUpError(path);

    // act
    const rejected = file.check();
    const rulesAfterRejection = file.rules;
    const notRepeated = file.check();
    await writeFile(path, JSON.stringify(TWO_RULES));
    const fixed = file.check();

    // assess
    expect(rejected).toMatchObject({ outcome: 'rejected', file: path, kept: ONE_RULE });
    expect(rejected?.outcome === 'rejected' && rejected.error).toBeInstanceOf(AlertRulesError);
    expect(rejected?.outcome === 'rejected' && rejected.error.message).toBe(expectedError);
    expect(expectedError).toContain('duplicate rule name');
    expect(rulesAfterRejection).toEqual(ONE_RULE);
    expect(notRepeated).toBeUndefined();
    expect(fixed).toEqual({ outcome: 'reloaded', file: path, rules: TWO_RULES });
  });

  it('keeps the rules in force while the file is gone, saying so once, and reloads it once back', async () => {
    // prepare
    const file = AlertRulesFile.open(path);
    await unlink(path);

    // act
    const gone = file.check();
    const stillGone = file.check();
    await writeFile(path, JSON.stringify(ONE_RULE));
    const back = file.check();

    // assess
    expect(gone?.outcome === 'rejected' && gone.error.message).toBe(`Cannot read the alert rules file ${path}: it does not exist (no file at ${path})`);
    expect(file.rules).toEqual(ONE_RULE);
    expect(stillGone).toBeUndefined();
    expect(back).toEqual({ outcome: 'reloaded', file: path, rules: ONE_RULE });
  });

  it('refuses a bad file at open, as start-up always has', async () => {
    // prepare
    await writeFile(path, JSON.stringify(DUPLICATE_NAME));

    // act
    const opening = () => AlertRulesFile.open(path);

    // assess
    expect(opening).toThrow(AlertRulesError);
    expect(opening).toThrow(startUpError(path));
  });
});

describe('local alerting across a reload of its rules file', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'alert-reload-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('evaluates the reloaded rules from then on, keeping the alerts already sent and the snapshots already seen', async () => {
    // prepare: the scenario's first two snapshots seen with its channel_live rule alone
    const rulesFile = join(directory, 'rules.json');
    await writeFile(rulesFile, JSON.stringify({ rules: scenarioRules.rules.filter((rule) => rule.type === 'channel_live') }));
    const table = new LocalRealtimeTable(join(directory, 'realtime'), () => NOW);
    const raised: string[] = [];
    const alerting = localAlerting({ dataDir: directory, alertRulesFile: rulesFile }, table, (alert) => raised.push(alert.key));
    const messages = scenarioMessages();
    const deliver = async (events: RealtimeEvent[]) => {
      await table.putItems(itemsOf(events));
      await alerting.onWritten(events);
    };
    for (const events of messages.slice(0, 4)) await deliver(events);
    const beforeReload = [...raised];

    // act: an invalid edit, then the scenario's whole rules; every message delivered again
    await writeFile(rulesFile, JSON.stringify({ rules: [...scenarioRules.rules, scenarioRules.rules[0]] }));
    const rejected = alerting.checkRules();
    await writeFile(rulesFile, JSON.stringify(scenarioRules));
    const reloaded = alerting.checkRules();
    for (const events of messages) await deliver(events);

    // assess: the alerts sent before the reload are not sent again
    expect(beforeReload.sort()).toEqual(['channel_live|live|c0', 'channel_live|live|s1']);
    expect(rejected?.outcome).toBe('rejected');
    expect(reloaded).toEqual({ outcome: 'reloaded', file: rulesFile, rules: scenarioRules });
    expect(raised.sort()).toEqual(EXPECTED_KEYS);
  });
});
