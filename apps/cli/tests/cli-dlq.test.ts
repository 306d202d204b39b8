import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { LocalEventQueue } from '@twitch-pipeline/storage';
import { describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, temporaryDataDir } from './support/cli-process';

const AT = new Date(Math.floor(Date.now() / 1_800_000) * 1_800_000).toISOString();

describe('twitch-pipeline dlq', () => {
  it('shows a poison message that reached the DLQ and redrives it to the queue', async () => {
    // prepare: one receive allowed, so the second drain after the visibility timeout dead-letters it
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir, { QUEUE_MAX_RECEIVES: '1', QUEUE_VISIBILITY_TIMEOUT_SECONDS: '1' });
    const queue = new LocalEventQueue(join(dataDir, 'queue'), { maxReceives: 1, visibilityTimeoutSeconds: 1 });
    await queue.sendBatch([{ id: 'poison', body: '{"schema_version":99}' }]);
    const first = jsonOf<{ status: string; deadLettered: number }>(await runCli(['run', '--at', AT, '--channels', '200', '--json'], env));
    await delay(1_100);
    const second = jsonOf<{ status: string; deadLettered: number }>(await runCli(['run', '--at', AT, '--channels', '200', '--json'], env));
    // act
    const counted = jsonOf<{ deadLetters: number }>(await runCli(['dlq', 'count', '--json'], env));
    const peeked = jsonOf<{ body: string; receiveCount: number }[]>(await runCli(['dlq', 'peek', '--json'], env));
    const status = await runCli(['status'], env);
    const redriven = jsonOf<{ moved: number }>(await runCli(['dlq', 'redrive', '--json'], env));
    const after = jsonOf<{ deadLetters: number; queue: { visible: number } }>(await runCli(['dlq', 'count', '--json'], env));
    // assess
    expect([first.status, second.status]).toEqual(['ok', 'ok']);
    expect(first.deadLettered + second.deadLettered).toBe(1);
    expect(counted.deadLetters).toBe(1);
    expect(peeked).toMatchObject([{ body: '{"schema_version":99}', receiveCount: 1 }]);
    expect(status.stdout).toContain('DLQ: 1 (inspect with `twitch-pipeline dlq peek`)');
    expect(redriven.moved).toBe(1);
    expect(after).toMatchObject({ deadLetters: 0, queue: { visible: 1 } });
  });
});
