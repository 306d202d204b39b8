import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  bronzeStreamRowSchema,
  columnNames,
  columnsOf,
  duckdbColumns,
  duckdbStructType,
  GOLD_TABLES,
  glueColumns,
  helixStreamSchema,
  realtimeItemSchema,
  silverStreamRowSchema,
} from '../src/index';

describe('column lists derived from the schemas', () => {
  it('bronze keeps every Helix field and adds the collection metadata', () => {
    // act
    const names = columnNames(bronzeStreamRowSchema);
    // assess
    expect(names).toEqual([
      ...Object.keys(helixStreamSchema.shape),
      'snapshot_id',
      'collected_at',
      'query_language',
      'collection_interval_minutes',
    ]);
  });

  it('derives DuckDB types, honouring storage overrides', () => {
    // act
    const types = Object.fromEntries(duckdbColumns(bronzeStreamRowSchema).map((c) => [c.name, c.type]));
    // assess
    expect(types).toMatchObject({
      id: 'VARCHAR',
      viewer_count: 'BIGINT',
      tags: 'VARCHAR[]',
      is_mature: 'BOOLEAN',
      started_at: 'VARCHAR',
      collected_at: 'TIMESTAMP',
      collection_interval_minutes: 'BIGINT',
    });
  });

  it('derives Glue types and carries descriptions as comments', () => {
    // act
    const silver = Object.fromEntries(glueColumns(silverStreamRowSchema).map((c) => [c.name, c]));
    // assess
    expect(silver.tags?.type).toBe('array<string>');
    expect(silver.data?.type).toBe('date');
    expect(silver.horas_assistidas?.type).toBe('double');
    expect(silver.espectadores?.type).toBe('bigint');
    expect(silver.horas_assistidas?.comment).toMatch(/espectadores x intervalo_minutos/);
  });

  it('marks nullable and optional fields', () => {
    // act
    const byName = Object.fromEntries(columnsOf(bronzeStreamRowSchema).map((c) => [c.name, c]));
    // assess
    expect(byName.tags?.nullable).toBe(true);
    expect(byName.tag_ids?.nullable).toBe(true);
    expect(byName.id?.nullable).toBe(false);
  });

  it('gives every gold table its grain and the shared measures', () => {
    // act + assess
    for (const schema of Object.values(GOLD_TABLES)) {
      const names = columnNames(schema);
      expect(names[0]).toBe('data');
      const measures = names.indexOf('total_streams');
      expect(names.slice(measures, measures + 6)).toEqual([
        'total_streams',
        'minutos_transmitidos',
        'horas_assistidas',
        'media_espectadores',
        'pico_espectadores',
        'amostras',
      ]);
    }
  });

  it('builds a DuckDB struct type literal', () => {
    // act + assess
    expect(duckdbStructType(realtimeItemSchema)).toMatch(/^\{'nome_streamer': 'VARCHAR', 'timestamp': 'TIMESTAMP'/);
  });

  it('refuses a field whose storage type cannot be derived', () => {
    // prepare
    const schema = z.object({ blob: z.object({ a: z.string() }) });
    // act + assess
    expect(() => columnsOf(schema)).toThrow(/column blob: cannot derive/);
  });
});
