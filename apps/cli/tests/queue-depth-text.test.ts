import { join } from 'node:path';
import { LocalEventQueue } from '@twitch-pipeline/storage';
import { describe, expect, it } from 'vitest';
import { cliEnv, runInProcess, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

describe('the queue depth printed for people', () => {
  it('has thousands separators in dlq count and in status, as every count printed for people', async () => {
    // prepare: a thousand messages waiting, as after a backfill stopped before its consume
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    const queue = new LocalEventQueue(join(dataDir, 'queue'));
    for (let batch = 0; batch < 100; batch += 1) {
      await queue.sendBatch(Array.from({ length: 10 }, (_, index) => ({ id: `waiting-${batch}-${index}`, body: '{"schema_version":1}' })));
    }

    // act
    const counted = await runInProcess(['dlq', 'count'], env);
    const status = await runInProcess(['status'], env);

    // assess
    expect(counted).toEqual({ code: 0, stdout: '0 message(s) in the DLQ; queue: 1,000 visible, 0 in flight\n', stderr: '' });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('\nQueue: 1,000 waiting, 0 in flight; DLQ: 0\n');
  });
});
