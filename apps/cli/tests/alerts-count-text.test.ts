import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runInProcess, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

/** A thousand alerts of one rule, a minute apart, written as the consumer writes the log. */
async function thousandAlerts(dataDir: string): Promise<void> {
  const folder = join(dataDir, 'alerts');
  await mkdir(folder, { recursive: true });
  for (let index = 0; index < 1000; index += 1) {
    const key = `viewer_jump|raids|${index}`;
    const record = {
      rule: 'raids',
      type: 'viewer_jump',
      key,
      nome_streamer: `canal_${index}`,
      id_stream: String(index),
      nome_categoria: 'Just Chatting',
      espectadores: 300,
      anterior: 30,
      timestamp: new Date(Date.UTC(2026, 10, 29) + index * 60_000).toISOString(),
      message: `canal_${index} jumped from 30 to 300 viewers (+270) in Just Chatting`,
    };
    await writeFile(join(folder, `${createHash('sha1').update(key).digest('hex')}.json`), JSON.stringify(record));
  }
}

describe('the counts alerts prints for people', () => {
  it('have thousands separators, while the --limit it suggests stays a value the flag takes', async () => {
    // prepare
    const dataDir = await temporaryDataDir();
    await thousandAlerts(dataDir);
    const env = cliEnv(dataDir);

    // act
    const newest = await runInProcess(['alerts'], env);
    const later = await runInProcess(['alerts', '--since', '2026-12-01'], env);

    // assess
    expect(newest.code).toBe(0);
    expect(newest.stdout).toMatch(/\nnewest 20 of 1,000 alerts; --limit 1000 shows them all\n$/);
    expect(later).toEqual({
      code: 0,
      stdout: 'no alerts collected at or after 2026-12-01T00:00:00.000Z; 1,000 earlier (`twitch-pipeline alerts` without --since lists them)\n',
      stderr: '',
    });
  });
});
