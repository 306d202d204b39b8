import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertRecord } from '@twitch-pipeline/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, runInProcess, temporaryDataDir } from './support/cli-process';

/** The newest half-hour slot, so real-time items (and their previous samples) are within their TTL. */
const END = new Date(Math.floor(Date.now() / 1_800_000) * 1_800_000).toISOString().replace('.000Z', 'Z');
const BACKFILL = ['backfill', '--hours', '3', '--interval', '30m', '--end', END, '--channels', '800', '--json'];

const RULES = {
  rules: [
    { name: 'any rise', type: 'viewer_jump', factor: 1.2, minIncrease: 1 },
    { name: 'chatting crowd', type: 'category_audience', category: 'Just Chatting', threshold: 1 },
  ],
};

describe('twitch-pipeline alerts', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let first: AlertRecord[];

  beforeAll(async () => {
    dataDir = await temporaryDataDir();
    const rulesFile = join(dataDir, 'rules.json');
    await writeFile(rulesFile, JSON.stringify(RULES));
    env = cliEnv(dataDir, { ALERT_RULES_FILE: rulesFile });
    jsonOf(await runCli(BACKFILL, env));
    first = jsonOf<AlertRecord[]>(await runInProcess(['alerts', '--limit', '100000', '--json'], env));
  });

  it('raises alerts as the consumer writes events, one per rule and stream', () => {
    // prepare + act: the backfill consumed every snapshot with the rules of ALERT_RULES_FILE
    const keys = first.map((alert) => alert.key);

    // assess
    expect(first.filter((alert) => alert.rule === 'any rise').length).toBeGreaterThan(0);
    // Just Chatting has viewers at every snapshot: the first is the rule's baseline, so a rule
    // whose threshold the category was above all along raises nothing.
    expect(first.filter((alert) => alert.rule === 'chatting crowd')).toEqual([]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(first.filter((a) => a.type === 'viewer_jump').map((a) => a.id_stream)).size).toBe(
      first.filter((a) => a.type === 'viewer_jump').length,
    );
    for (const alert of first.filter((a) => a.type === 'viewer_jump')) {
      expect(alert.espectadores).toBeGreaterThanOrEqual(1.2 * (alert.anterior ?? Number.POSITIVE_INFINITY));
    }
  });

  it('sends nothing twice when the same snapshots are delivered again', async () => {
    // act: the same slots again, republished and consumed through the same queue and table
    jsonOf(await runCli(BACKFILL, env));
    const again = jsonOf<AlertRecord[]>(await runInProcess(['alerts', '--limit', '100000', '--json'], env));

    // assess
    expect(again.map((alert) => alert.key).sort()).toEqual(first.map((alert) => alert.key).sort());
  });

  it('lists alerts as a table, newest first', async () => {
    // act
    const result = await runInProcess(['alerts', '--limit', '3'], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/collected \(UTC\).*rule.*type/);
    const dataLines = result.stdout.split('\n').filter((line) => /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(line));
    expect(dataLines).toHaveLength(3);
    // Newest first by collection time; alerts of the same time keep the log's order (by key).
    const times = dataLines.map((line) => /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.exec(line)![0]);
    expect([...times].sort().reverse()).toEqual(times);
    expect(result.stdout).toContain(`newest 3 of ${first.length} alerts; --limit ${first.length} shows them all\n`);
  });

  it('gives the same instants in --json (ISO 8601, as the log holds them) and in the alerts view (a TIMESTAMP in UTC)', async () => {
    // act
    const viewed = jsonOf<{ key: string; timestamp: string }[]>(await runInProcess(['query', 'SELECT key, timestamp FROM alerts', '--format', 'json'], env));

    // assess: the two forms docs/cli.md names, of one instant each
    const listed = new Map(first.map((alert) => [alert.key, alert.timestamp]));
    expect(viewed).toHaveLength(first.length);
    for (const { key, timestamp } of viewed) {
      expect(timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(listed.get(key)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(new Date(`${timestamp.replace(' ', 'T')}Z`).toISOString()).toBe(listed.get(key));
    }
  });

  it('says, when --since leaves out every alert, how many came before it rather than blaming the rules', async () => {
    // prepare: every alert was collected at END or before, and END is not after now
    const since = new Date().toISOString();

    // act
    const result = await runInProcess(['alerts', '--since', since], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`no alerts collected at or after ${since}; ${first.length} earlier (\`twitch-pipeline alerts\` without --since lists them)\n`);
  });

  it('says, when no alert was raised, whether this command was given rules or where they act', async () => {
    // prepare: a data directory no run has used
    const emptyDir = await temporaryDataDir();

    // act
    const withoutRules = await runInProcess(['alerts'], cliEnv(emptyDir));
    const withRules = await runInProcess(['alerts'], cliEnv(emptyDir, { ALERT_RULES: JSON.stringify(RULES) }));

    // assess: rules given to `run` alone are not missing, so the hint names where they act
    expect(withoutRules.code).toBe(0);
    expect(withoutRules.stdout).toBe('no alerts raised. Only runs with ALERT_RULES_FILE (or ALERT_RULES) set evaluate alert rules; see docs/use-cases.md\n');
    expect(withRules.code).toBe(0);
    expect(withRules.stdout).toBe('none raised yet\n');
  });

  it('says in query --list and alerts --help that a category alert is one per crossing, not per stream', async () => {
    // act
    const list = await runInProcess(['query', '--list'], env);
    const help = await runInProcess(['alerts', '--help'], env);

    // assess
    expect(list.stdout).toMatch(/^ {2}alerts .*, one per rule and stream, or per rule, category and crossing$/m);
    expect(help.stdout).toContain('once per rule and stream, or per rule, category and crossing, in <data dir>/alerts');
  });

  it('refuses a bad rules file at start, naming the bad rule, with exit code 2', async () => {
    // prepare
    const badFile = join(dataDir, 'bad-rules.json');
    await writeFile(badFile, JSON.stringify({ rules: [{ name: 'too eager', type: 'viewer_jump', factor: 0.5, minIncrease: 0 }] }));

    // act
    const result = await runInProcess(['alerts'], cliEnv(dataDir, { ALERT_RULES_FILE: badFile }));

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('too eager');
    expect(result.stderr).toContain('Fix the rules file named by ALERT_RULES_FILE (or unset it)');
  });

  it('names ALERT_RULES, not the file, when the inline rules are the bad ones', async () => {
    // act
    const result = await runInProcess(['alerts'], cliEnv(dataDir, { ALERT_RULES: JSON.stringify({ rules: [{ name: 'too eager', type: 'viewer_jump', factor: 0.5, minIncrease: 0 }] }) }));

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Fix the rules of ALERT_RULES (or unset it)');
  });
});
