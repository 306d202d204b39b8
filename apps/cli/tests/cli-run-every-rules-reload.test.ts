import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertRecord } from '@twitch-pipeline/schemas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StopSignal } from '../src/cli/signals';
import { cliEnv, jsonOf, runInProcess, useTemporaryDataDirs } from './support/cli-process';

// A collector's cycles are a period apart on the wall clock: rather than wait for them, the
// clock is the test's, and each wait between two cycles sets it to the slot waited for, after
// the edit of the rules file a user would make meanwhile. Each `run` process reads the rules at
// start, so cycles of `run --at` in sequence would never reload them: one collector is needed.
const START = Date.parse('2026-11-29T19:00:00Z');
const SLOT_MS = 30 * 60_000;
const slot = (cycle: number) => new Date(START + (cycle - 1) * SLOT_MS).toISOString();

const NEVER = { name: 'huge raid', type: 'viewer_jump', factor: 100, minIncrease: 1_000_000 };
const ANY_RISE = { name: 'any rise', type: 'viewer_jump', factor: 1.01, minIncrease: 1 };
const RISE_AFTER_FIX = { name: 'rise after fix', type: 'viewer_jump', factor: 1.01, minIncrease: 1 };

const temporaryDataDir = useTemporaryDataDirs();

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Runs `run --every 30m` for as many cycles as edits plus one, making edit n while the collector waits after cycle n. */
async function collectorWithEdits(env: NodeJS.ProcessEnv, edits: (() => Promise<void>)[]) {
  vi.useFakeTimers({ toFake: ['Date'], now: START });
  let waits = 0;
  vi.spyOn(StopSignal.prototype, 'sleepUntil').mockImplementation(async (time: number) => {
    const edit = edits[waits++];
    if (!edit) return true;
    await edit();
    vi.setSystemTime(time);
    return false;
  });
  return runInProcess(['run', '--every', '30m', '--channels', '300'], env);
}

describe('run --every and an edit of its alert rules file', () => {
  it('applies a valid edit from the next cycle, keeps the previous rules through an invalid one, warning once, and applies the fix', async () => {
    // prepare
    const dataDir = await temporaryDataDir();
    const rulesFile = join(dataDir, 'rules.json');
    const write = (rules: object[]) => () => writeFile(rulesFile, JSON.stringify({ rules }));
    await write([NEVER])();
    const env = cliEnv(dataDir, { ALERT_RULES_FILE: rulesFile });

    // act: cycle 2 with a rule added, 3 and 4 after a duplicate name, 5 after the fix
    const result = await collectorWithEdits(env, [
      write([NEVER, ANY_RISE]),
      write([NEVER, ANY_RISE, ANY_RISE]),
      async () => {},
      write([NEVER, RISE_AFTER_FIX]),
    ]);
    const alerts = jsonOf<AlertRecord[]>(await runInProcess(['alerts', '--limit', '100000', '--json'], env));

    // assess: what the collector said, once per edit, at the cycle it applied to
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^cycle \S+ ok /gm)).toHaveLength(5);
    const cycles = result.stderr.split(/^ {2}gold .*\n/m);
    const reloaded = `  alert rules reloaded from ${rulesFile}: 2 rules\n`;
    const warning =
      `  warning: Invalid alert rules in ${rulesFile} (1 problem):\n` +
      '    - rules[2] "any rise" (viewer_jump): name: duplicate rule name (also used by rules[1])\n' +
      '  the previous 2 rules stay in force until the file is fixed\n';
    expect(cycles.slice(0, 5).map((text) => [text.includes(reloaded), text.includes(warning)])).toEqual([
      [false, false],
      [true, false],
      [false, true],
      [false, false],
      [true, false],
    ]);
    expect(result.stderr.split('alert rules').length - 1).toBe(3);

    // assess: the rules each cycle evaluated, from the alerts they raised
    const slotsOf = (rule: string) => [...new Set(alerts.filter((alert) => alert.rule === rule).map((alert) => new Date(alert.timestamp).toISOString()))].sort();
    expect(slotsOf('huge raid')).toEqual([]);
    expect(slotsOf('any rise')).toEqual([slot(2), slot(3), slot(4)]);
    expect(slotsOf('rise after fix')).toEqual([slot(5)]);
  });
});
