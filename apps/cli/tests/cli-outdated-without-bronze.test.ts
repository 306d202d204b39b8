import { cp, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sqlString, withEngine } from '@twitch-pipeline/duckdb';
import { MODEL_VERSION_KEY } from '@twitch-pipeline/pipeline';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, useTemporaryDataDirs } from './support/cli-process';

// A silver object another model version wrote whose bronze object is gone: no cycle or rebuild
// can rewrite it, so status must not send its reader to `rebuild` for it.
const DATE = '2026-11-29';
const BACKFILL = ['backfill', '--hours', '4', '--interval', '1h', '--end', `${DATE}T18:00:00Z`, '--channels', '300', '--realtime', 'none'];

interface StatusJson {
  freshness: { outdatedObjects: string[]; outdatedWithoutBronze: { key: string; bronzeKey: string; setAsideAt: string | null }[] };
}

const dataDirectory = useTemporaryDataDirs();
/** A backfilled data directory, one silver object of it given another model version's footer. */
let prepared: string;
let silverKey: string;
let env: NodeJS.ProcessEnv;
let lake: string;

describe('silver of another model version whose bronze object is gone', () => {
  beforeAll(async () => {
    prepared = await dataDirectory();
    expect(jsonOf<{ status: string }>(await runCli([...BACKFILL, '--json'], cliEnv(prepared))).status).toBe('ok');
    const name = (await readdir(join(prepared, `lake/silver/streams/dt=${DATE}`))).filter((file) => file.endsWith('.parquet')).sort()[1]!;
    silverKey = `silver/streams/dt=${DATE}/${name}`;
    const path = join(prepared, 'lake', silverKey);
    await withEngine({}, (engine) => engine.copyToParquet(`SELECT * FROM read_parquet(${sqlString(path)})`, undefined, `${path}.old`, { [MODEL_VERSION_KEY]: 'silver:0000000000000000' }));
    await rename(`${path}.old`, path);
  });

  beforeEach(async () => {
    const dataDir = await dataDirectory();
    await cp(prepared, dataDir, { recursive: true });
    lake = join(dataDir, 'lake');
    env = cliEnv(dataDir);
  });

  const bronzeOf = (key: string) => key.replace('silver/streams/', 'raw/streams/');

  it('is named apart after a rebuild left it out, with what one can do rather than `rebuild`', async () => {
    // prepare: its bronze object removed, and a rebuild that could not rewrite it
    await rename(join(lake, bronzeOf(silverKey)), join(dirname(lake), 'removed.parquet'));
    expect(jsonOf<{ outdated: { action: string }[] }>(await runCli(['rebuild', '--json'], env)).outdated).toEqual([expect.objectContaining({ action: 'left out' })]);
    // act
    const text = await runCli(['status'], env);
    const json = jsonOf<StatusJson>(await runCli(['status', '--json'], env));
    const query = await runCli(['query', 'SELECT count(*) FROM silver_streams'], env);
    // assess
    expect(json.freshness.outdatedObjects).toEqual([silverKey]);
    expect(json.freshness.outdatedWithoutBronze).toEqual([{ key: silverKey, bronzeKey: bronzeOf(silverKey), setAsideAt: null }]);
    for (const note of [text.stdout, query.stderr]) {
      expect(note).toContain(`note: 1 silver object(s) written by another version of the models have no bronze object to rebuild them from`);
      expect(note).toContain(`their rows are in no gold table (silver_streams still reads them): ${silverKey} (its bronze object is gone)`);
      expect(note).toContain('To remove them, move those files out of the lake folder of the data directory');
      expect(note).not.toContain('`twitch-pipeline rebuild` rewrites silver and gold from bronze');
    }
  });

  it('says where its bronze object was set aside, and moving that back lets a rebuild of its date rewrite it', async () => {
    // prepare: its bronze object set aside as a step does, under quarantine/corrupt/ with a reason
    const setAside = `quarantine/corrupt/${bronzeOf(silverKey)}`;
    await mkdir(dirname(join(lake, setAside)), { recursive: true });
    await rename(join(lake, bronzeOf(silverKey)), join(lake, setAside));
    await writeFile(join(lake, `${setAside}.reason.json`), `${JSON.stringify({ key: bronzeOf(silverKey), reason: 'truncated or torn' })}\n`);
    // act
    const before = await runCli(['status'], env);
    const json = jsonOf<StatusJson>(await runCli(['status', '--json'], env));
    await rename(join(lake, setAside), join(lake, bronzeOf(silverKey)));
    const rebuild = await runCli(['rebuild', '--from', DATE, '--to', DATE], env);
    const after = jsonOf<StatusJson>(await runCli(['status', '--json'], env));
    // assess
    expect(json.freshness.outdatedWithoutBronze).toEqual([{ key: silverKey, bronzeKey: bronzeOf(silverKey), setAsideAt: setAside }]);
    expect(before.stdout).toContain(`${silverKey} (its bronze object was set aside to ${setAside})`);
    expect(before.stdout).toContain(`move it back to its raw/streams/ key: \`twitch-pipeline rebuild --from <its date> --to <its date>\` then rewrites its silver`);
    expect(rebuild.code).toBe(0);
    expect(after.freshness.outdatedObjects).toEqual([]);
    expect(after.freshness.outdatedWithoutBronze).toEqual([]);
  });
});
