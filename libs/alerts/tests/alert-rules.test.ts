import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRulesError, loadAlertRules, loadAlertRulesSync, parseAlertRules, UnreadableAlertRulesError } from '../src/index';

describe('alert rules', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'alert-rules-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('loads a valid file, lower-casing channel logins', async () => {
    // prepare
    const path = join(directory, 'valid.json');
    await writeFile(
      path,
      JSON.stringify({
        rules: [
          { name: 'pro players', type: 'channel_live', channels: ['Gaules', 'casimiro'] },
          { name: 'raids', type: 'viewer_jump', factor: 3, minIncrease: 1000 },
          { name: 'jc-10k', type: 'category_audience', category: 'Just Chatting', threshold: 10_000 },
        ],
      }),
    );

    // act
    const rules = await loadAlertRules(path);

    // assess
    expect(rules.rules.map((rule) => rule.name)).toEqual(['pro players', 'raids', 'jc-10k']);
    expect(rules.rules[0]).toEqual({ name: 'pro players', type: 'channel_live', channels: ['gaules', 'casimiro'] });
  });

  it('fails naming every bad rule by index and name', async () => {
    // prepare
    const path = join(directory, 'invalid.json');
    await writeFile(
      path,
      JSON.stringify({
        rules: [
          { name: 'pro', type: 'channel_live', channels: ['gaules'] },
          { name: 'big raid', type: 'viewer_jump', factor: 0.5, minIncrease: 100 },
          { name: 'pro', type: 'category_audience', category: 'Just Chatting', threshold: 10 },
          { name: 'mail me', type: 'email', to: 'ops@example.com' },
          { name: 'jc', type: 'category_audience', category: 'Just Chatting', threshold: 0 },
        ],
      }),
    );

    // act
    const failure = await loadAlertRules(path).then(
      () => undefined,
      (error: unknown) => error,
    );

    // assess
    expect(failure).toBeInstanceOf(AlertRulesError);
    const error = failure as AlertRulesError;
    expect(error.message).toContain(`Invalid alert rules in ${path}`);
    expect(error.problems).toEqual([
      'rules[1] "big raid" (viewer_jump): factor: must be at least 1',
      'rules[2] "pro" (category_audience): name: duplicate rule name (also used by rules[0])',
      `rules[3] "mail me" (email): type: Invalid discriminator value. Expected 'channel_live' | 'viewer_jump' | 'category_audience'`,
      'rules[4] "jc" (category_audience): threshold: must be greater than 0',
    ]);
  });

  it('reports a duplicated rule name with the index of its first use', () => {
    // prepare
    const text = JSON.stringify({
      rules: [
        { name: 'pro', type: 'channel_live', channels: ['gaules'] },
        { name: 'pro', type: 'channel_live', channels: ['casimiro'] },
      ],
    });

    // act
    const outcome = () => parseAlertRules(text, 'rules.json');

    // assess
    expect(outcome).toThrow('rules[1] "pro" (channel_live): name: duplicate rule name (also used by rules[0])');
  });

  it('rejects unknown fields, empty channel lists and a file that is not JSON', () => {
    // prepare
    const typo = { rules: [{ name: 'raids', type: 'viewer_jump', factor: 2, minIncrease: 10, channel: ['x'] }] };
    const empty = { rules: [{ name: 'nobody', type: 'channel_live', channels: [] }] };

    // act
    const outcomes = [typo, empty, '{ "rules": ['].map((input) => {
      try {
        parseAlertRules(input, 'rules.json');
        return 'accepted';
      } catch (error) {
        return (error as AlertRulesError).problems.join('\n');
      }
    });

    // assess
    expect(outcomes[0]).toContain('rules[0] "raids" (viewer_jump): rule: Unrecognized key: "channel"');
    expect(outcomes[1]).toBe('rules[0] "nobody" (channel_live): channels: must list at least one channel');
    expect(outcomes[2]).toMatch(/^not valid JSON: /);
  });

  it('names the rules given inline, or the file, as the place of a problem with the whole document', async () => {
    // prepare: a list of rules where an object holding them belongs
    const file = join(directory, 'list.json');
    await writeFile(file, '[]');

    // act
    const problems = await Promise.all(
      [() => parseAlertRules('[]', 'ALERT_RULES'), () => loadAlertRules(file)].map(async (load) => {
        try {
          await load();
          return 'accepted';
        } catch (error) {
          return (error as AlertRulesError).problems.join('\n');
        }
      }),
    );

    // assess
    expect(problems).toEqual([`ALERT_RULES: Invalid input: expected object, received array`, `${file}: Invalid input: expected object, received array`]);
  });

  it('refuses a channel written as @login or as an address, naming the entry, and an accented name saying which letters', () => {
    // prepare
    const inputs = [
      { rules: [{ name: 'live', type: 'channel_live', channels: ['gaules', '@casimiro'] }] },
      { rules: [{ name: 'live', type: 'channel_live', channels: ['https://www.twitch.tv/gaules'] }] },
      { rules: [{ name: 'ação', type: 'channel_live', channels: ['gaules'] }] },
    ];

    // act
    const problems = inputs.map((input) => {
      try {
        parseAlertRules(input, 'rules.json');
        return 'accepted';
      } catch (error) {
        return (error as AlertRulesError).problems.join('\n');
      }
    });

    // assess
    expect(problems[0]).toMatch(/^rules\[0\] "live" \(channel_live\): channels\.1: a Twitch login: .*not @gaules/);
    expect(problems[1]).toMatch(/^rules\[0\] "live" \(channel_live\): channels\.0: a Twitch login/);
    expect(problems[2]).toContain('ASCII letters');
  });

  it('reads a rules file saved with a byte-order mark, as some Windows editors save UTF-8', async () => {
    // prepare
    const file = join(directory, 'bom.json');
    await writeFile(file, `\uFEFF${JSON.stringify({ rules: [{ name: 'live', type: 'channel_live', channels: ['Gaules'] }] })}`);

    // act
    const rules = await loadAlertRules(file);

    // assess
    expect(rules.rules).toEqual([{ name: 'live', type: 'channel_live', channels: ['gaules'] }]);
  });

  it('accepts the example rules file the documentation points to', async () => {
    // prepare
    const path = fileURLToPath(new URL('../examples/alert-rules.json', import.meta.url));

    // act
    const rules = await loadAlertRules(path);

    // assess
    expect(rules.rules.map((rule) => rule.type)).toEqual(['channel_live', 'viewer_jump', 'category_audience']);
  });

  it('accepts the simulator example the README points to', async () => {
    // prepare
    const path = fileURLToPath(new URL('../examples/simulator-alert-rules.json', import.meta.url));

    // act
    const rules = await loadAlertRules(path);

    // assess
    expect(rules.rules.map((rule) => rule.type)).toEqual(['viewer_jump', 'category_audience']);
  });

  it('says in words that the file does not exist, with the absolute path it looked at', async () => {
    // prepare: a relative path, read from the working folder
    const path = relative(process.cwd(), join(directory, 'missing.json'));

    // act
    const outcomes = await Promise.all([loadAlertRules(path), Promise.resolve().then(() => loadAlertRulesSync(path))].map((load) => load.catch((error: unknown) => error)));

    // assess: both loaders in the same words, the path as given kept as the source
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(UnreadableAlertRulesError);
      expect((outcome as UnreadableAlertRulesError).message).toBe(`Cannot read the alert rules file ${path}: it does not exist (no file at ${join(directory, 'missing.json')})`);
      expect((outcome as UnreadableAlertRulesError).source).toBe(path);
    }
  });

  it('says a folder is not a file, and under a file that there is no such file', async () => {
    // prepare
    const file = join(directory, 'plain.txt');
    await writeFile(file, 'not a folder');

    // act
    const messages = [directory, join(file, 'rules.json')].map((path) => {
      try {
        return loadAlertRulesSync(path);
      } catch (error) {
        return (error as UnreadableAlertRulesError).message;
      }
    });

    // assess
    expect(messages).toEqual([
      `Cannot read the alert rules file ${directory}: it is a folder, not a file (${directory})`,
      `Cannot read the alert rules file ${join(file, 'rules.json')}: it does not exist (no file at ${join(file, 'rules.json')})`,
    ]);
  });
});
