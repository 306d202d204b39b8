import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bronzeKey, duckdbColumns, goldKey, quarantineKey, quarantineRowSchema, silverKey } from '@twitch-pipeline/schemas';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { describe, expect, it } from 'vitest';
import { pendingBronzeKeys, runGold, runSilver } from '../src/index';
import { bronzeRow, useTestLake, createTestLake, describeRows, readRows, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const lake = useTestLake();

describe('runSilver', () => {
  it('types, renames and enriches a snapshot, quarantining untrusted rows with a reason', async () => {
    // prepare: 23:30 local on 2026-11-29 (UTC-3), seven rows of which four are untrusted
    const at = '2026-11-30T02:30:00Z';
    const key = await writeBronzeSnapshot(lake.store, at, [
      bronzeRow({ collected_at: at, id: '1', user_login: 'Alpha', game_id: '', game_name: '', title: null, viewer_count: 120, started_at: '2026-11-30T02:20:00Z' }),
      bronzeRow({ collected_at: at, id: '2', user_login: 'beta', game_id: '32399', game_name: 'Counter-Strike', viewer_count: 0, started_at: '2026-11-29T20:30:00Z' }),
      bronzeRow({ collected_at: at, id: '3', user_login: 'gama', viewer_count: 30, started_at: '2026-11-30T02:33:00Z' }),
      bronzeRow({ collected_at: at, id: null, user_login: 'sem_id' }),
      bronzeRow({ collected_at: at, id: '5', user_login: 'negativo', viewer_count: -1 }),
      bronzeRow({ collected_at: at, id: '6', user_login: 'futuro', started_at: '2026-11-30T03:00:00Z' }),
      bronzeRow({ collected_at: at, id: '7', user_login: 'relogio', started_at: 'ontem à noite' }),
      bronzeRow({ collected_at: at, id: '2', user_login: 'beta', game_id: '32399', game_name: 'Counter-Strike', viewer_count: 5 }),
    ]);

    // act
    const summary = await runSilver({ store: lake.store, timeZone: TZ });

    // assess
    expect(summary.failed).toEqual([]);
    expect(summary.processed).toEqual([
      { snapshotId: '20261130T023000Z', bronzeKey: key, silverKey: silverKey('2026-11-29', '20261130T023000Z'), rowsIn: 8, rowsOut: 3, quarantined: 5 },
    ]);
    expect(summary.dates).toEqual(['2026-11-29']);
    const silver = await readRows<Record<string, unknown>>(lake.store, 'silver/', 'id_stream');
    expect(silver.map((row) => [row.id_stream, row.nome_streamer, row.nome_categoria, row.tipo_conteudo, row.titulo])).toEqual([
      ['1', 'alpha', 'Unknown', 'Game', ''],
      ['2', 'beta', 'Counter-Strike', 'Game', 'ao vivo'],
      ['3', 'gama', 'Just Chatting', 'Non-Game', 'ao vivo'],
    ]);
    const [alpha, beta, gama] = silver;
    expect(alpha).toMatchObject({ duracao_minutos: 10, intervalo_minutos: 25, horas_assistidas: 50, horas_assistidas_total: 20, periodo_dia: 'Night', hora_dia: 23, id_snapshot: '20261130T023000Z' });
    expect(beta).toMatchObject({ duracao_minutos: 360, intervalo_minutos: 30, horas_assistidas: 0, espectadores: 0 });
    expect(gama).toMatchObject({ duracao_minutos: 0, intervalo_minutos: 15, horas_assistidas: 7.5 });
    expect((alpha!.data as Date).toISOString().slice(0, 10)).toBe('2026-11-29');
    const quarantine = await readRows<{ reason: string; record: string; layer: string }>(lake.store, quarantineKey('2026-11-29', '20261130T023000Z', 'silver'), 'reason');
    expect(quarantine.map((row) => row.reason)).toEqual([
      'duplicate stream id within the snapshot',
      'missing id',
      'negative viewer_count',
      'started_at after collected_at beyond the allowed skew',
      'unparsable started_at',
    ]);
    expect(quarantine.every((row) => row.layer === 'silver')).toBe(true);
    expect(JSON.parse(quarantine[4]!.record)).toMatchObject({ id: '7', user_login: 'relogio', started_at: 'ontem à noite' });
    // Typed as the extract types its quarantine rows: one table, one type per column for every reader.
    const written = await describeRows(lake.store.pathOf(quarantineKey('2026-11-29', '20261130T023000Z', 'silver')));
    expect(written).toEqual(duckdbColumns(quarantineRowSchema).map((column) => ({ name: column.name, type: column.type })));
  });

  it('keeps the first copy of a repeated stream id that passes the checks, as the real-time path does', async () => {
    // prepare: stream 8's first copy is refused (negative viewers), its second is sound, its third a repeat
    const at = '2026-11-29T15:00:00Z';
    await writeBronzeSnapshot(lake.store, at, [
      bronzeRow({ collected_at: at, id: '8', user_login: 'oito', viewer_count: -3 }),
      bronzeRow({ collected_at: at, id: '9', user_login: 'nove', viewer_count: 40 }),
      bronzeRow({ collected_at: at, id: '8', user_login: 'oito', viewer_count: 70 }),
      bronzeRow({ collected_at: at, id: '8', user_login: 'oito', viewer_count: 71 }),
      bronzeRow({ collected_at: at, id: '9', user_login: 'nove', started_at: 'never' }),
    ]);

    // act
    const summary = await runSilver({ store: lake.store, timeZone: TZ });

    // assess
    expect(summary).toMatchObject({ rowsIn: 5, rowsOut: 2, quarantined: 3 });
    const silver = await readRows<{ id_stream: string; espectadores: bigint | number }>(lake.store, 'silver/', 'id_stream');
    expect(silver.map((row) => [row.id_stream, Number(row.espectadores)])).toEqual([
      ['8', 70],
      ['9', 40],
    ]);
    const quarantine = await readRows<{ reason: string; record: string }>(lake.store, quarantineKey('2026-11-29', '20261129T150000Z', 'silver'), 'reason');
    expect(quarantine.map((row) => [row.reason, JSON.parse(row.record).viewer_count])).toEqual([
      ['duplicate stream id within the snapshot', 71],
      ['negative viewer_count', -3],
      ['unparsable started_at', 100],
    ]);
  });

  it('processes only new bronze objects, and a rerun changes nothing', async () => {
    // prepare
    const first = '2026-11-29T15:00:00Z';
    const second = '2026-11-29T15:30:00Z';
    await writeBronzeSnapshot(lake.store, first, [bronzeRow({ collected_at: first })]);
    const initial = await runSilver({ store: lake.store, timeZone: TZ });
    const before = await lake.store.list('silver/');
    await writeBronzeSnapshot(lake.store, second, [bronzeRow({ collected_at: second })]);

    // act
    const next = await runSilver({ store: lake.store, timeZone: TZ });
    const again = await runSilver({ store: lake.store, timeZone: TZ });

    // assess
    expect(initial.processed.map((p) => p.snapshotId)).toEqual(['20261129T150000Z']);
    expect(next.processed.map((p) => p.snapshotId)).toEqual(['20261129T153000Z']);
    expect(again).toEqual({ processed: [], failed: [], corrupt: [], skipped: [], dates: [], rowsIn: 0, rowsOut: 0, quarantined: 0 });
    const after = await lake.store.list('silver/');
    expect(after.find((o) => o.key === before[0]!.key)?.lastModified).toEqual(before[0]!.lastModified);
  });
});

describe('runSilver with rows that carry no collection interval', () => {
  it('uses the configured interval as a fallback, and quarantines such rows without one', async () => {
    // prepare
    const at = '2026-11-29T15:00:00Z';
    const rows = [bronzeRow({ collected_at: at, id: '1', collection_interval_minutes: null, viewer_count: 60 })];
    const fallbackLake = await createTestLake();
    await writeBronzeSnapshot(lake.store, at, rows);
    await writeBronzeSnapshot(fallbackLake.store, at, rows);

    // act
    const without = await runSilver({ store: lake.store, timeZone: TZ });
    const withFallback = await runSilver({ store: fallbackLake.store, timeZone: TZ, intervalMinutes: 15 });

    // assess
    expect(without).toMatchObject({ rowsIn: 1, rowsOut: 0, quarantined: 1 });
    expect((await readRows<{ reason: string }>(lake.store, 'quarantine/', 'reason')).map((r) => r.reason)).toEqual(['invalid collection_interval_minutes']);
    expect(withFallback).toMatchObject({ rowsIn: 1, rowsOut: 1, quarantined: 0 });
    expect(await readRows(fallbackLake.store, 'silver/', 'id_stream')).toMatchObject([{ intervalo_minutos: 15, horas_assistidas: 15 }]);
    await fallbackLake.dispose();
  });
});

describe('runSilver on bad objects', () => {
  it('moves a truncated or corrupt bronze object to quarantine with its reason and still transforms the others', async () => {
    // prepare
    const good = '2026-11-29T15:00:00Z';
    const goodKey = await writeBronzeSnapshot(lake.store, good, [bronzeRow({ collected_at: good })]);
    const sourceKey = await writeBronzeSnapshot(lake.store, '2026-11-29T15:30:00Z', [bronzeRow({ collected_at: '2026-11-29T15:30:00Z' })]);
    const bytes = await lake.store.get(sourceKey);
    await lake.store.delete(sourceKey);
    const truncatedKey = bronzeKey('2026-11-29', '20261129T160000Z');
    const corruptKey = bronzeKey('2026-11-29', '20261129T163000Z');
    await lake.store.put(truncatedKey, bytes.slice(0, Math.floor(bytes.length / 2)));
    await lake.store.put(corruptKey, 'not parquet at all');

    // act
    const summary = await runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: [truncatedKey, goodKey, corruptKey, 'raw/streams/x.parquet'] });

    // assess
    expect(summary.processed.map((p) => p.bronzeKey)).toEqual([goodKey]);
    expect(summary.failed.map((f) => f.bronzeKey)).toEqual(['raw/streams/x.parquet']);
    expect(summary.corrupt.map((c) => [c.key, c.action, c.movedTo])).toEqual([
      [truncatedKey, 'quarantined', `quarantine/corrupt/${truncatedKey}`],
      [corruptKey, 'quarantined', `quarantine/corrupt/${corruptKey}`],
    ]);
    expect(summary.corrupt.every((c) => c.reason.length > 0)).toBe(true);
    expect((await lake.store.list('silver/')).map((o) => o.key)).toEqual([silverKey('2026-11-29', '20261129T150000Z')]);
  });

  it('rewrites identical rows when a snapshot is reprocessed on purpose', async () => {
    // prepare
    const at = '2026-11-29T15:00:00Z';
    const key = await writeBronzeSnapshot(lake.store, at, [
      bronzeRow({ collected_at: at, id: '1', title: 'Olá 🎮 日本語' }),
      bronzeRow({ collected_at: at, id: '2', user_login: 'outro', viewer_count: 0 }),
      bronzeRow({ collected_at: at, id: '2', user_login: 'outro', viewer_count: 3 }),
    ]);
    await runSilver({ store: lake.store, timeZone: TZ });
    const silverBefore = await readRows(lake.store, 'silver/', 'id_stream');
    const quarantineBefore = await readRows(lake.store, 'quarantine/', 'record');

    // act
    const again = await runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: [key] });

    // assess
    expect(again.processed).toHaveLength(1);
    expect(await readRows(lake.store, 'silver/', 'id_stream')).toEqual(silverBefore);
    expect(await readRows(lake.store, 'quarantine/', 'record')).toEqual(quarantineBefore);
    expect(silverBefore.map((row) => row.titulo)).toEqual(['Olá 🎮 日本語', 'ao vivo']);
  });

  it('writes the same silver object, byte for byte, when a snapshot is reprocessed: its rows are not sorted, so their order must hold', async () => {
    // prepare: more rows than one DuckDB vector, with repeated ids spread over several vectors (a
    // left join emits a vector's matched rows first, so those vectors leave bronze order)
    const at = '2026-11-29T15:00:00Z';
    const rows = Array.from({ length: 6000 }, (_, index) =>
      bronzeRow({ collected_at: at, id: String(index % 2500 === 7 ? 7 : 100_000 - index), user_login: `canal${index}`, viewer_count: 6000 - index }),
    );
    const key = await writeBronzeSnapshot(lake.store, at, rows);
    const first = await runSilver({ store: lake.store, timeZone: TZ });
    const silver = silverKey('2026-11-29', '20261129T150000Z');
    const before = await lake.store.get(silver);

    // act
    await runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: [key] });

    // assess
    expect(first.processed[0]).toMatchObject({ rowsIn: 6000, rowsOut: 5998, quarantined: 2 });
    expect(Buffer.compare(await lake.store.get(silver), before)).toBe(0);
  });

  it('reports each object as done, and once a stop is asked starts no other, leaving them pending', async () => {
    // prepare: four snapshots, one engine, a stop asked for when the second is done
    const times = ['2026-11-29T15:00:00Z', '2026-11-29T15:30:00Z', '2026-11-29T16:00:00Z', '2026-11-29T16:30:00Z'];
    const keys: string[] = [];
    for (const at of times) keys.push(await writeBronzeSnapshot(lake.store, at, [bronzeRow({ collected_at: at })]));
    const stop = { stopping: false };
    const done: string[] = [];

    // act
    const summary = await runSilver({
      store: lake.store,
      timeZone: TZ,
      engineOptions: { threads: 1 },
      stop,
      onObjectDone: (key) => {
        done.push(key);
        stop.stopping = done.length === 2;
      },
    });

    // assess
    expect(done).toEqual(keys.slice(0, 2));
    expect(summary.processed.map((result) => result.bronzeKey)).toEqual(keys.slice(0, 2));
    expect(summary.skipped).toEqual(keys.slice(2));
    expect(await pendingBronzeKeys(lake.store)).toEqual(keys.slice(2));
  });

  it('reads only its own objects when the lake\'s folder name is a pattern that matches a folder beside it', async () => {
    // prepare: `lake*` beside `lake-old`, which holds the same snapshot with more rows. Not in the
    // tests' own temporary folder: the `[a]` in its name makes the whole pattern match nothing,
    // and DuckDB then reads the path as written, which would hide the fault.
    const base = await mkdtemp(join(dirname(tmpdir()), 'pattern-'));
    const own = new LocalObjectStore(join(base, 'lake*'));
    const beside = new LocalObjectStore(join(base, 'lake-old'));
    const at = '2026-11-29T15:00:00Z';
    await writeBronzeSnapshot(own, at, [bronzeRow({ collected_at: at })], TZ);
    await writeBronzeSnapshot(beside, at, [1, 2, 3].map((n) => bronzeRow({ collected_at: at, id: String(n), user_login: `canal_${n}` })), TZ);

    // act
    const summary = await runSilver({ store: own, timeZone: TZ }).finally(() => rm(base, { recursive: true, force: true }));

    // assess
    expect(summary.failed).toEqual([]);
    expect(summary.processed).toMatchObject([{ rowsIn: 1, rowsOut: 1, quarantined: 0 }]);
  });
});

describe('runGold', () => {
  it('rewrites every gold table of the dates it is given', async () => {
    // prepare
    const at = '2026-11-29T15:00:00Z';
    await writeBronzeSnapshot(lake.store, at, [bronzeRow({ collected_at: at })]);
    const silver = await runSilver({ store: lake.store, timeZone: TZ });

    // act
    const gold = await runGold({ store: lake.store, dates: silver.dates });

    // assess: the sample at 12:00 local stands for 11:30–12:00 (Morning) and counts in the Afternoon
    expect(gold).toEqual({ dates: ['2026-11-29'], pendingDates: [], failed: [], skipped: [], trendsRefreshed: [], tables: { streams_diario: 2, streamers_diario: 1, categorias_diario: 1, idiomas_periodo: 2, canais_hora: 2, categorias_canais: 1, tendencias_diario: 2, melhores_horarios: 1 }, corrupt: [], outdated: [] });
    expect(await lake.store.exists(goldKey('streamers_diario', '2026-11-29'))).toBe(true);
  });
});
