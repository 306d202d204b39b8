import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { cliEnv, spawnCli, stderrMatching, stdoutMatching, temporaryDataDir } from './support/cli-process';

describe('run --every --json', () => {
  it('prints each cycle as one JSON line when it ends, not one document when the collector stops', async () => {
    // prepare: a collector runs for months, and a log shipper reads its lines as they come
    const dataDir = await temporaryDataDir();
    const collector = spawnCli(['run', '--every', '30m', '--channels', '200', '--json'], cliEnv(dataDir));
    const firstLine = stdoutMatching(collector.child, /\n/);

    // act
    await stderrMatching(collector.child, /next cycle at /);
    // The line is written before the wait is announced: far more than enough to arrive, so a
    // collector that holds its lines back fails here rather than at the test's own timeout.
    const printedBeforeStop = await Promise.race([firstLine, delay(30_000).then(() => '(nothing printed by the time the collector waited)')]);
    collector.child.kill('SIGINT');
    const stopped = await collector.finished;

    // assess
    expect(stopped.code).toBe(130);
    expect(printedBeforeStop.split('\n')).toHaveLength(2);
    expect(JSON.parse(printedBeforeStop)).toMatchObject({ kind: 'cycle', status: 'ok', snapshots: [expect.stringMatching(/^\d{8}T\d{6}Z$/)] });
    expect(stopped.stdout.startsWith(printedBeforeStop)).toBe(true);
    // A first cycle that ends just past a slot's start begins the next at once, and the stop then
    // interrupts it: that cycle's own line follows, never a document of both.
    const afterStop = stopped.stdout.slice(printedBeforeStop.length).split('\n').filter((line) => line !== '');
    expect(afterStop.length).toBeLessThanOrEqual(1);
    for (const line of afterStop) expect(JSON.parse(line)).toMatchObject({ kind: 'cycle', status: 'interrupted' });
  });
});
