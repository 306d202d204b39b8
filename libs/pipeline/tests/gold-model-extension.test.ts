import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bronzeRow, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const FEATURES = fileURLToPath(new URL('../../features', import.meta.url));
const lake = useTestLake();
const copies: string[] = [];

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.resetModules();
  await Promise.all(copies.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** The models, macros and queries copied aside, `edit` applied to one model, as a data engineer extending the product would. */
async function featuresWith(model: string, edit: (sql: string) => string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'features-extended-'));
  copies.push(folder);
  for (const sub of ['models', 'macros', 'queries']) await cp(join(FEATURES, sub), join(folder, sub), { recursive: true });
  const path = join(folder, 'models', `${model}.sql`);
  await writeFile(path, edit(await readFile(path, 'utf8')));
  return folder;
}

describe('a gold model extended without its schema', () => {
  it('writes the column added to the SQL only, so that the exact-columns rule names it', async () => {
    // prepare: a column added to the model's final SELECT, not to libs/schemas
    const folder = await featuresWith('gold_idiomas_periodo', (sql) => sql.replace('    amostras\n  FROM aggregated', '    amostras,\n    42 AS canais_distintos\n  FROM aggregated'));
    vi.stubEnv('FEATURES_SQL_DIR', folder);
    vi.resetModules();
    const { runSilver, runGold } = await import('../src/index');
    const { checkModelRules } = await import('@twitch-pipeline/features');
    const { DuckDbEngine, sqlString } = await import('@twitch-pipeline/duckdb');
    const { duckdbLiteralPath } = await import('@twitch-pipeline/schemas');
    const at = '2026-11-29T15:00:00Z';
    await writeBronzeSnapshot(lake.store, at, [bronzeRow({ collected_at: at, id: '1', user_id: '10', user_login: 'canal' })], TZ);
    const silver = await runSilver({ store: lake.store, timeZone: TZ });

    // act
    const gold = await runGold({ store: lake.store, dates: silver.dates });
    const engine = await DuckDbEngine.open();
    const files = sqlString(`${duckdbLiteralPath(lake.store.root)}/gold/idiomas_periodo/**/*.parquet`);
    const violations = await checkModelRules(engine, 'gold_idiomas_periodo', `read_parquet(${files}, hive_partitioning = false)`).finally(() => engine.close());

    // assess
    expect(gold.failed).toEqual([]);
    expect(violations).toEqual([expect.objectContaining({ rule: expect.stringMatching(/^columns: expected \[.*amostras\], got \[.*amostras, canais_distintos\]$/) })]);
  });
});

describe('the gold model version', () => {
  it('changes with a threshold the models bind, not only with their SQL', async () => {
    // prepare
    vi.resetModules();
    const before = (await import('../src/index')).goldModelVersion();
    vi.resetModules();
    const schemas = await import('@twitch-pipeline/schemas');
    (schemas.TREND_MIN_HOURS_WATCHED as Record<string, number>).categoria = 5000;

    // act
    const after = (await import('../src/index')).goldModelVersion();

    // assess
    expect(after).not.toBe(before);
  });
});

describe('the model files', () => {
  it('are each run by a step: a change to any of them changes the silver or the gold model version', async () => {
    // prepare: the versions of the models as they are
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(join(FEATURES, 'models'))).filter((file) => file.endsWith('.sql'));
    const versions = async () => {
      const pipeline = await import('../src/index');
      return `${pipeline.silverModelVersion()} ${pipeline.goldModelVersion()}`;
    };
    vi.resetModules();
    const original = await versions();

    // act: each file changed in a copy of the folder, as a new model file no step reads would not be
    const unread: string[] = [];
    for (const file of files) {
      const folder = await featuresWith(file.replace(/\.sql$/, ''), (sql) => `${sql}\n-- changed\n`);
      vi.stubEnv('FEATURES_SQL_DIR', folder);
      vi.resetModules();
      if ((await versions()) === original) unread.push(file);
    }

    // assess: a model file must be registered (MODEL_NAMES, the gold step's intermediates) to run
    expect(files.length).toBeGreaterThan(10);
    expect(unread).toEqual([]);
  });
});
