import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalEventQueue } from '@twitch-pipeline/storage';
import { describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, runInProcess, temporaryDataDir } from './support/cli-process';

const AT = new Date(Math.floor(Date.now() / 1_800_000) * 1_800_000).toISOString();

describe('twitch-pipeline dlq', () => {
  it('moves a message of an unknown envelope version to the DLQ in the first cycle, shows it and redrives it', async () => {
    // prepare
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    const queue = new LocalEventQueue(join(dataDir, 'queue'));
    await queue.sendBatch([{ id: 'poison', body: '{"schema_version":99}' }]);
    const first = jsonOf<{ status: string; deadLettered: number }>(await runCli(['run', '--at', AT, '--channels', '200', '--json'], env));
    // act
    const counted = jsonOf<{ deadLetters: number }>(await runInProcess(['dlq', 'count', '--json'], env));
    const peeked = jsonOf<{ body: string; receiveCount: number; reason: string }[]>(await runInProcess(['dlq', 'peek', '--json'], env));
    const status = await runInProcess(['status'], env);
    const redriven = jsonOf<{ moved: number }>(await runInProcess(['dlq', 'redrive', '--json'], env));
    const after = jsonOf<{ deadLetters: number; queue: { visible: number } }>(await runInProcess(['dlq', 'count', '--json'], env));
    // assess
    expect(first).toMatchObject({ status: 'ok', deadLettered: 1 });
    expect(counted.deadLetters).toBe(1);
    expect(peeked).toMatchObject([{ body: '{"schema_version":99}', receiveCount: 1, reason: 'unsupported schema_version 99 (expected 1)' }]);
    expect(status.stdout).toContain('DLQ: 1 (inspect with `twitch-pipeline dlq peek`)');
    expect(redriven.moved).toBe(1);
    expect(after).toMatchObject({ deadLetters: 0, queue: { visible: 1 } });
  });

  it('names an unknown action as unknown, with the actions there are, exit 2', async () => {
    // act
    const result = await runInProcess(['dlq', 'bogus'], cliEnv(await temporaryDataDir()));

    // assess
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining('error: unknown action "bogus": give count, peek or redrive\n') });
  });

  it('dead-letters an empty message and a torn message file at once, and peek and status survive them and torn records', async () => {
    // prepare: an empty body, a message file torn by a crash, and a truncated run record
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    const queue = new LocalEventQueue(join(dataDir, 'queue'));
    await queue.sendBatch([{ id: 'empty', body: '' }]);
    const torn = `{"messageId":"torn","body":"{\\"schema_version\\":1,\\"snap\u001b[31m`;
    await writeFile(join(dataDir, 'queue', 'ready', '0000000000001_000001_torn.msg'), torn);
    const first = jsonOf<{ status: string; deadLettered: number; consumed: number }>(await runCli(['run', '--at', AT, '--channels', '200', '--json'], env));
    const [record] = await readdir(join(dataDir, 'runs'));
    await writeFile(join(dataDir, 'runs', record!.replace('-cycle-', '-cycle-0')), '{"kind":"cycle","status":"o');
    await writeFile(join(dataDir, 'realtime', 'segments', '0000000000002-1-00000000.ndjson'), '{"nome_streamer":"gaules","times\n');
    // act
    const table = await runInProcess(['dlq', 'peek'], env);
    const peeked = jsonOf<{ messageId: string; body: string; reason: string }[]>(await runInProcess(['dlq', 'peek', '--json'], env));
    const status = await runInProcess(['status'], env);
    const statusJson = jsonOf<{ runs: unknown[]; unreadableRuns: { reason: string }[]; freshness: { realtimeTornLines: number; realtimeSkippedLines: unknown[] } }>(
      await runInProcess(['status', '--json'], env),
    );
    // assess
    expect(first.status).toBe('ok');
    expect(first.deadLettered).toBe(2);
    expect(first.consumed).toBeGreaterThan(0);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toContain('\u001b');
    expect(table.stdout).toContain('message file is not JSON');
    const byId = Object.fromEntries(peeked.map((letter) => [letter.messageId, letter]));
    expect(byId.torn).toMatchObject({ body: torn });
    expect(byId.torn!.reason).toMatch(/^message file is not JSON/);
    expect(Object.values(byId).find((letter) => letter.messageId !== 'torn')).toMatchObject({ body: '' });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('1 unreadable run record(s) skipped');
    expect(status.stdout).toContain('1 line(s) skipped that hold no item (a write cut short by a crash, or damage): realtime/segments/0000000000002-1-00000000.ndjson line 1');
    expect(statusJson.freshness.realtimeTornLines).toBe(1);
    expect(statusJson.freshness.realtimeSkippedLines).toEqual([{ segment: '0000000000002-1-00000000.ndjson', count: 1, lines: [1] }]);
    expect(statusJson.runs).toHaveLength(1);
    expect(statusJson.unreadableRuns).toMatchObject([{ reason: expect.stringMatching(/^not JSON/) }]);
  });
});
