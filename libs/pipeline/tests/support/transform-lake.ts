import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine, sqlString, withEngine } from '@twitch-pipeline/duckdb';
import { intlLocalDate } from '@twitch-pipeline/features';
import { BRONZE_TIME_ZONE_KEY, type BronzeStreamRow, bronzeKey, bronzeStreamRowSchema, duckdbLiteralPath, snapshotIdFor } from '@twitch-pipeline/schemas';
import { LocalObjectStore, type ObjectInfo, type ObjectStore } from '@twitch-pipeline/storage';
import { afterEach, beforeEach } from 'vitest';

/** A bronze row with every field loosened, so tests can write the bad input the step must quarantine. */
export type LooseBronzeRow = { [K in keyof BronzeStreamRow]: BronzeStreamRow[K] | null };

/** A throwaway local lake: a LocalObjectStore in a fresh temporary directory. */
export interface TestLake {
  directory: string;
  store: LocalObjectStore;
  dispose(): Promise<void>;
}

/**
 * A fresh lake for each test of the file that calls it (at the top level), disposed after the
 * test: the returned lake always reads through to the current test's.
 */
export function useTestLake(): TestLake {
  let current: TestLake | undefined;
  beforeEach(async () => {
    current = await createTestLake();
  });
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
  const lake = () => {
    if (!current) throw new Error('useTestLake: the lake exists only while a test runs');
    return current;
  };
  return {
    get directory() {
      return lake().directory;
    },
    get store() {
      return lake().store;
    },
    dispose: () => lake().dispose(),
  };
}

export async function createTestLake(): Promise<TestLake> {
  const directory = await mkdtemp(join(tmpdir(), 'transform-lake-'));
  return { directory, store: new LocalObjectStore(join(directory, 'lake')), dispose: () => rm(directory, { recursive: true, force: true }) };
}

/** One plausible bronze row; `overrides` replace fields. */
export function bronzeRow(overrides: Partial<LooseBronzeRow> & { collected_at: string }): LooseBronzeRow {
  const collectedAt = new Date(overrides.collected_at);
  return {
    id: '1001',
    user_id: '2001',
    user_login: 'canal',
    user_name: 'Canal',
    game_id: '509658',
    game_name: 'Just Chatting',
    type: 'live',
    title: 'ao vivo',
    tags: ['Português'],
    viewer_count: 100,
    started_at: new Date(collectedAt.getTime() - 60 * 60_000).toISOString().replace('.000Z', 'Z'),
    language: 'pt',
    thumbnail_url: 'https://static-cdn.jtvnw.net/previews-ttv/live_user_canal-{width}x{height}.jpg',
    tag_ids: [],
    is_mature: false,
    snapshot_id: snapshotIdFor(collectedAt),
    query_language: 'pt',
    collection_interval_minutes: 30,
    ...overrides,
  };
}

/**
 * Writes one bronze snapshot object the way the extract step does (schema-derived Parquet, the
 * zone in its footer) and returns its key. The partition date is the collection date in
 * `timeZone`. `recordZone: false` writes it as the extract did before bronze named its zone.
 */
export async function writeBronzeSnapshot(
  store: ObjectStore,
  collectedAt: string,
  rows: readonly LooseBronzeRow[],
  timeZone = 'America/Sao_Paulo',
  { recordZone = true }: { recordZone?: boolean } = {},
): Promise<string> {
  const snapshotId = snapshotIdFor(new Date(collectedAt));
  const key = bronzeKey(intlLocalDate(collectedAt, timeZone), snapshotId);
  const directory = await mkdtemp(join(tmpdir(), 'bronze-'));
  try {
    const path = join(directory, `${snapshotId}.parquet`);
    const engine = await DuckDbEngine.open();
    try {
      await engine.writeRowsToParquet(rows, bronzeStreamRowSchema, path, recordZone ? { [BRONZE_TIME_ZONE_KEY]: timeZone } : undefined);
    } finally {
      await engine.close();
    }
    await store.putFile(key, path);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  return key;
}

/** Reads every row of the objects under a prefix, ordered by the given columns. */
export async function readRows<T = Record<string, unknown>>(store: LocalObjectStore, prefix: string, orderBy: string): Promise<T[]> {
  const keys = (await store.list(prefix)).map((object) => store.pathOf(object.key));
  if (keys.length === 0) return [];
  const engine = await DuckDbEngine.open();
  try {
    const list = keys.map((path) => sqlString(duckdbLiteralPath(path))).join(', ');
    return (await engine.all(`SELECT * FROM read_parquet([${list}]) ORDER BY ${orderBy}`)) as T[];
  } finally {
    await engine.close();
  }
}

/** The columns of a Parquet file as DuckDB reads them, with their types, in file order. */
export async function describeRows(path: string): Promise<{ name: string; type: string }[]> {
  const engine = await DuckDbEngine.open();
  try {
    const described = await engine.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet(${sqlString(duckdbLiteralPath(path))}, hive_partitioning = false)`);
    return described.map((column) => ({ name: column.column_name, type: column.column_type }));
  } finally {
    await engine.close();
  }
}

/**
 * The real local store with some of its operations replaced: fault injection over the real
 * store, not a mock of it.
 */
export function storeWith(store: LocalObjectStore, overrides: Partial<ObjectStore>): ObjectStore {
  return {
    location: store.location,
    put: (key, body) => store.put(key, body),
    putFile: (key, path) => store.putFile(key, path),
    get: (key) => store.get(key),
    getFile: (key, path) => store.getFile(key, path),
    list: (prefix) => store.list(prefix),
    exists: (key) => store.exists(key),
    delete: (key) => store.delete(key),
    deleteIfUnchanged: (object) => store.deleteIfUnchanged(object),
    ...overrides,
  };
}

/**
 * Rewrites a silver object as the product wrote it before the hours-watched estimate: without
 * the two columns gold's models now read, and without a model version in its footer.
 */
export async function rewriteAsEarlierVersion(store: LocalObjectStore, key: string): Promise<void> {
  const path = store.pathOf(key);
  await withEngine({}, (engine) =>
    engine.run(`COPY (SELECT * EXCLUDE (intervalo_coleta_minutos, fuso_horario) FROM read_parquet(${sqlString(path)})) TO ${sqlString(`${path}.old`)} (FORMAT parquet)`),
  );
  await rename(`${path}.old`, path);
}

/**
 * The real local store, where another run's write (`land`) happens just before the second
 * listing of `prefix`: between gold's first look at it and its second.
 */
export function storeLandingAt(store: LocalObjectStore, prefix: string, land: () => Promise<unknown>): ObjectStore {
  let listings = 0;
  return storeWith(store, {
    list: async (listedPrefix) => {
      if (listedPrefix === prefix && ++listings === 2) await land();
      return store.list(listedPrefix);
    },
  });
}

/**
 * The real local store, where another run's write (`land`) happens just before the first
 * conditional delete: as gold removes the first marker it settles, after every check of it.
 * `listed` maps what every listing returns (to give all objects one time, as S3 does within a
 * second).
 */
export function storeLandingBeforeSettle(
  store: LocalObjectStore,
  land: () => Promise<unknown>,
  listed: (objects: ObjectInfo[]) => ObjectInfo[] = (objects) => objects,
): { store: ObjectStore; landed: () => boolean } {
  let landed = false;
  return {
    store: storeWith(store, {
      list: async (prefix) => listed(await store.list(prefix)),
      deleteIfUnchanged: async (object) => {
        if (!landed) {
          landed = true;
          await land();
        }
        return store.deleteIfUnchanged(object);
      },
    }),
    landed: () => landed,
  };
}

/**
 * One bronze snapshot at each of `times`, of the same three channels (viewers 100·n plus the
 * snapshot's index), written as the extract writes them; returns their keys in order.
 *
 * @example
 * const keys = await writeSmallDay(store, ['2026-11-29T15:00:00Z', '2026-11-29T15:30:00Z'], 'America/Sao_Paulo');
 */
export async function writeSmallDay(store: ObjectStore, times: readonly string[], timeZone: string): Promise<string[]> {
  const keys: string[] = [];
  for (const [index, collected_at] of times.entries()) {
    const rows = [1, 2, 3].map((n) => bronzeRow({ collected_at, id: String(5000 + n), user_id: String(600 + n), user_login: `canal_${n}`, viewer_count: 100 * n + index }));
    keys.push(await writeBronzeSnapshot(store, collected_at, rows, timeZone));
  }
  return keys;
}
