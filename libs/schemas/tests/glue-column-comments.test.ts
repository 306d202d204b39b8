import { describe, expect, it } from 'vitest';
import { ANALYTICS_TABLES, bronzeStreamRowSchema, GOLD_TABLES, glueColumns, quarantineRowSchema, silverStreamRowSchema } from '../src/index';

// Glue's CreateTable and UpdateTable refuse a column comment over 255 characters.
const GLUE_COMMENT_MAX = 255;

describe('the column meanings the data stack gives the Glue catalog as comments', () => {
  it('fit Glue, so that the catalog tables deploy', () => {
    // prepare
    const tables = {
      bronze_streams: bronzeStreamRowSchema,
      quarantine_streams: quarantineRowSchema,
      silver_streams: silverStreamRowSchema,
      ...Object.fromEntries(Object.entries({ ...GOLD_TABLES, ...ANALYTICS_TABLES }).map(([name, schema]) => [`gold_${name}`, schema])),
    };

    // act
    const tooLong = Object.entries(tables).flatMap(([table, schema]) =>
      glueColumns(schema)
        .filter((column) => column.comment.length > GLUE_COMMENT_MAX)
        .map((column) => `${table}.${column.name}: ${column.comment.length} characters`),
    );

    // assess
    expect(tooLong).toEqual([]);
  });
});
