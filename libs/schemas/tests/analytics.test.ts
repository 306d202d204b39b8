import { describe, expect, it } from 'vitest';
import {
  ANALYTICS_TABLES,
  alertRecordSchema,
  alertRulesSchema,
  columnsOf,
  glueColumns,
  goldTendenciasDiarioRowSchema,
} from '../src/index';

describe('analytics schemas', () => {
  it('derives trend columns with nullable baselines and a boolean eligibility flag', () => {
    // prepare
    const schema = goldTendenciasDiarioRowSchema;

    // act
    const columns = Object.fromEntries(columnsOf(schema).map((column) => [column.name, [column.type, column.nullable]]));

    // assess
    expect(columns).toEqual({
      data: ['date', false],
      dimensao: ['string', false],
      nome: ['string', false],
      horas_assistidas: ['double', false],
      media_espectadores: ['double', false],
      media_7d_horas_assistidas: ['double', true],
      media_7d_espectadores: ['double', true],
      crescimento_horas: ['double', true],
      crescimento_espectadores: ['double', true],
      dias_historico: ['bigint', false],
      elegivel: ['boolean', false],
    });
  });

  it('describes every analytics column for the catalog', () => {
    // prepare
    const tables = Object.values(ANALYTICS_TABLES);

    // act
    const undocumented = tables.flatMap((schema) => glueColumns(schema).filter((column) => column.comment === ''));

    // assess
    expect(undocumented).toEqual([]);
  });

  it('rejects a duplicated rule name and accepts a viewer_jump rule without channels', () => {
    // prepare
    const jump = { name: 'raids', type: 'viewer_jump', factor: 3, minIncrease: 500 };

    // act
    const single = alertRulesSchema.safeParse({ rules: [jump] });
    const twice = alertRulesSchema.safeParse({ rules: [jump, jump] });

    // assess
    expect(single.success).toBe(true);
    expect(twice.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['rules', 1, 'name'], 'duplicate rule name (also used by rules[0])'],
    ]);
  });

  it('requires the dedup key and the collection time of an alert record', () => {
    // prepare
    const record = { rule: 'live', type: 'channel_live', espectadores: 10, message: 'gaules is live' };

    // act
    const parsed = alertRecordSchema.safeParse(record);

    // assess
    expect(parsed.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['key', 'timestamp']);
  });
});
