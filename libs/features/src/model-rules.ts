import type { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { ANALYTICS_TABLES, columnsOf, GOLD_TABLES, silverStreamRowSchema } from '@twitch-pipeline/schemas';
import type { z } from 'zod';
import { MODEL_NAMES, type ModelName, readSqlFile } from './sql-files';

/** Row schema each model's output must match. */
const MODEL_SCHEMAS: Readonly<Record<ModelName, z.ZodObject<z.ZodRawShape>>> = {
  silver_streams: silverStreamRowSchema,
  gold_streams_diario: GOLD_TABLES.streams_diario,
  gold_streamers_diario: GOLD_TABLES.streamers_diario,
  gold_canais_hora: GOLD_TABLES.canais_hora,
  gold_categorias_diario: GOLD_TABLES.categorias_diario,
  gold_categorias_canais: GOLD_TABLES.categorias_canais,
  gold_idiomas_periodo: GOLD_TABLES.idiomas_periodo,
  gold_tendencias_diario: ANALYTICS_TABLES.tendencias_diario,
  gold_melhores_horarios: ANALYTICS_TABLES.melhores_horarios,
};

/** The rules `models/schema.json` declares for one model. */
export interface ModelRules {
  unique_key: string[];
  expressions: string[];
}

/** One failed rule and how many rows break it. */
export interface RuleViolation {
  model: ModelName;
  rule: string;
  failingRows: number;
}

/**
 * The rules declared for a model in `models/schema.json`.
 *
 * @example
 * modelRules('gold_streamers_diario').unique_key; // ['data', 'nome_streamer']
 */
export function modelRules(model: ModelName): ModelRules {
  const declared = JSON.parse(readSqlFile('models', 'schema.json')) as { models: Record<string, ModelRules> };
  const rules = declared.models[model];
  if (!rules) throw new Error(`models/schema.json declares no rules for ${model}`);
  return rules;
}

function enumOptions(field: unknown): string[] | undefined {
  const options = (field as { options?: unknown }).options;
  return Array.isArray(options) ? options.map(String) : undefined;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Checks a model's output against its rules: the schema's exact columns, not-null columns,
 * enum values, the unique key and the row expressions. `relation` is a FROM item written by
 * the pipeline or a test (a table name or `read_parquet('…')`), never user text.
 * Returns the violations; an empty list means the output passes.
 *
 * @example
 * const violations = await checkModelRules(engine, 'silver_streams', "read_parquet('silver/*.parquet')");
 */
export async function checkModelRules(engine: DuckDbEngine, model: ModelName, relation: string): Promise<RuleViolation[]> {
  if (!MODEL_NAMES.includes(model)) throw new Error(`unknown model ${model}`);
  const schema = MODEL_SCHEMAS[model];
  const rules = modelRules(model);
  const violations: RuleViolation[] = [];
  const count = async (rule: string, where: string, params?: Record<string, string>) => {
    const [row] = await engine.all<{ n: number }>(`SELECT count(*) AS n FROM ${relation} WHERE ${where}`, params);
    if (row && row.n > 0) violations.push({ model, rule, failingRows: row.n });
  };

  const actual = (await engine.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${relation}`)).map((c) => c.column_name);
  const expected = columnsOf(schema).map((c) => c.name);
  if (actual.join(',') !== expected.join(',')) {
    violations.push({ model, rule: `columns: expected [${expected.join(', ')}], got [${actual.join(', ')}]`, failingRows: 0 });
    return violations;
  }
  for (const column of columnsOf(schema)) {
    if (!column.nullable) await count(`not_null(${column.name})`, `${quoted(column.name)} IS NULL`);
    const options = enumOptions(schema.shape[column.name]);
    if (options) {
      await count(
        `accepted_values(${column.name}: ${options.join(', ')})`,
        `${quoted(column.name)} NOT IN (SELECT unnest(from_json(CAST($values AS JSON), '["VARCHAR"]')))`,
        { values: JSON.stringify(options) },
      );
    }
  }
  const key = rules.unique_key.map(quoted).join(', ');
  const [duplicates] = await engine.all<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT ${key} FROM ${relation} GROUP BY ${key} HAVING count(*) > 1)`,
  );
  if (duplicates && duplicates.n > 0) {
    violations.push({ model, rule: `unique(${rules.unique_key.join(', ')})`, failingRows: duplicates.n });
  }
  for (const expression of rules.expressions) await count(`expression(${expression})`, `NOT (${expression})`);
  return violations;
}
