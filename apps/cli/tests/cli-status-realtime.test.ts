import { join } from 'node:path';
import { LocalRealtimeTable } from '@twitch-pipeline/storage';
import { realtimeItem } from '@twitch-pipeline/storage/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { utcInstant } from '../src/commands/status';
import { LakeSession } from '../src/lake/lake-session';
import { cliEnv, runInProcess, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

describe('the real-time line of status', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('counts the channels and newest time of the live items without ranking their versions', async () => {
    // prepare: a key written twice (a redelivery), and an expired item of a third channel
    const dataDir = await temporaryDataDir();
    const table = new LocalRealtimeTable(join(dataDir, 'realtime'));
    await table.putItems([realtimeItem('canal_a', '2026-12-06T20:00:00.000Z'), realtimeItem('canal_b', '2026-12-06T20:30:00.000Z')]);
    await table.putItems([realtimeItem('canal_b', '2026-12-06T20:30:00.000Z', { espectadores: 7 })]);
    await table.putItems([realtimeItem('canal_c', '2026-12-06T21:00:00.000Z', { expira_em: Math.floor(Date.now() / 1000) - 60 })]);
    const everyVersion = vi.spyOn(LakeSession.prototype, 'realtimeEveryVersion');

    // act
    const result = await runInProcess(['status', '--json'], cliEnv(dataDir));

    // assess
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).freshness).toMatchObject({ realtime: '2026-12-06T20:30:00Z', realtimeChannels: 2 });
    expect(everyVersion).toHaveBeenCalled();
  });

  it('gives the latest event as a UTC instant with its age, as the bronze line above it does', async () => {
    // prepare
    const dataDir = await temporaryDataDir();
    await new LocalRealtimeTable(join(dataDir, 'realtime')).putItems([
      realtimeItem('canal_a', '2026-12-06T20:00:00.000Z'),
      realtimeItem('canal_b', '2026-12-06T20:30:00.000Z'),
    ]);

    // act
    const result = await runInProcess(['status'], cliEnv(dataDir));

    // assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\n {2}real time {2}latest event 2026-12-06T20:30:00Z \(.+ ago\), 2 channels\n/);
  });

  it('gives the same instant, with its zone, in --json', async () => {
    // prepare
    const dataDir = await temporaryDataDir();
    await new LocalRealtimeTable(join(dataDir, 'realtime')).putItems([realtimeItem('canal_a', '2026-12-06T20:30:00.000Z')]);

    // act
    const result = await runInProcess(['status', '--json'], cliEnv(dataDir));

    // assess
    expect(result.code, result.stderr).toBe(0);
    const freshness = JSON.parse(result.stdout).freshness;
    expect(freshness.realtime).toBe('2026-12-06T20:30:00Z');
    expect(Date.parse(freshness.realtime)).toBe(Date.parse('2026-12-06T20:30:00.000Z'));
  });

  it('writes a timestamp as DuckDB gives it as an instant in UTC, fractions kept', () => {
    // act
    const instants = [utcInstant('2026-12-06 20:30:00'), utcInstant('2026-12-06 20:30:00.25'), utcInstant(undefined)];

    // assess
    expect(instants).toEqual(['2026-12-06T20:30:00Z', '2026-12-06T20:30:00.25Z', undefined]);
  });
});
