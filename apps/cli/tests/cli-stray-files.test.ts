import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, useTemporaryDataDirs } from './support/cli-process';

const DATE = '2026-11-20';
const BACKFILL = ['backfill', '--hours', '1', '--end', `${DATE}T12:00:00Z`, '--channels', '100', '--realtime', 'none'];

interface Status {
  freshness: { bronze: string; bronzeSnapshots: number; goldLatestDate: string; outdatedObjects: string[]; strayFiles: string[] };
}

const dataDirectory = useTemporaryDataDirs();
let collected: string;

/** A copy of the collected data directory with `files` (lake keys) written into its lake. */
async function lakeWith(files: Record<string, string>): Promise<string> {
  const dataDir = await dataDirectory();
  await cp(collected, dataDir, { recursive: true });
  for (const [key, text] of Object.entries(files)) {
    await mkdir(join(dataDir, 'lake', key, '..'), { recursive: true });
    await writeFile(join(dataDir, 'lake', key), text);
  }
  return dataDir;
}

beforeAll(async () => {
  collected = await dataDirectory();
  jsonOf(await runCli([...BACKFILL, '--json'], cliEnv(collected)));
});

describe('files in the lake that no step wrote', () => {
  it('leave bronze and gold freshness as they are, and status names them', async () => {
    // Prepare: the lake's objects sort before a note or a file manager's index in the same folder.
    const stray = [`gold/streams_diario/notes.txt`, 'raw/streams/.DS_Store', `raw/streams/dt=${DATE}/notes.txt`];
    const env = cliEnv(await lakeWith(Object.fromEntries(stray.map((key) => [key, 'hi\n']))));

    // Act
    const text = await runCli(['status'], env);
    const { freshness } = jsonOf<Status>(await runCli(['status', '--json'], env));

    // Assess
    expect(freshness).toMatchObject({ bronze: `${DATE}T12:00:00Z`, bronzeSnapshots: 2, goldLatestDate: DATE, strayFiles: stray });
    expect(text.stdout).toMatch(new RegExp(`bronze\\s+latest snapshot ${DATE}T12:00:00Z .*, 2 snapshots`));
    expect(text.stdout).toMatch(new RegExp(`gold\\s+latest date ${DATE}`));
    expect(text.stdout).toContain(`note: 3 other file(s) in the lake, read by no view and left as they are: ${stray.join(', ')}\n`);
  });

  it('are named five at a time in status, every one in status --json', async () => {
    // Prepare
    const stray = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => `raw/streams/dt=${DATE}/${name}.txt`);
    const env = cliEnv(await lakeWith(Object.fromEntries(stray.map((key) => [key, 'hi\n']))));

    // Act
    const text = await runCli(['status'], env);
    const { freshness } = jsonOf<Status>(await runCli(['status', '--json'], env));

    // Assess
    expect(freshness.strayFiles).toEqual(stray);
    expect(text.stdout).toContain(`${stray.slice(0, 5).join(', ')} and 2 more (\`status --json\` lists them all)`);
  });
});
