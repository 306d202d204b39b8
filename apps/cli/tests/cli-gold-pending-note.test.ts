import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

// What a gold run that failed between its tables leaves, as a file system refusing one table's
// folder (another user's, after a command run with sudo) makes it: the date's marker, so the next
// cycle rebuilds it, and tables of which some are new and some not.
let env: NodeJS.ProcessEnv;
let date: string;

beforeAll(async () => {
  const dataDir = await temporaryDataDir();
  env = cliEnv(dataDir);
  const backfill = await runCli(['backfill', '--hours', '1', '--channels', '200', '--realtime', 'none', '--end', '2026-12-06T18:00:00Z'], env);
  expect(backfill.code, backfill.stderr).toBe(0);
  const silver = join(dataDir, 'lake', 'silver', 'streams');
  const [partition] = await readdir(silver);
  const [object] = (await readdir(join(silver, partition!))).filter((name) => name.endsWith('.parquet'));
  date = partition!.replace('dt=', '');
  const marker = join(dataDir, 'lake', 'pending', 'gold', partition!);
  await mkdir(marker, { recursive: true });
  await writeFile(join(marker, object!.replace('.parquet', '.json')), `${JSON.stringify({ silverKey: `silver/streams/${partition}/${object}` })}\n`);
});

describe('reading a lake whose gold of a date waits for a rebuild', () => {
  it('notes the date on query, whose answer may mix old and new gold tables', async () => {
    // act
    const query = await runCli(['query', '--saved', 'top_categories_by_hours', '--format', 'csv'], env);
    // assess
    expect(query.code, query.stderr).toBe(0);
    expect(query.stderr).toContain(`note: gold of ${date} waits for a rebuild (a cycle under way, or one that failed)`);
  });

  it('leaves it to status, whose freshness lines already name it', async () => {
    // act
    const status = await runCli(['status'], env);
    // assess
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`pending (the next cycle rebuilds them): ${date}`);
    expect(status.stderr).not.toContain('waits for a rebuild');
  });
});
