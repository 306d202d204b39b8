import { createHash } from 'node:crypto';
import { NON_GAME_CATEGORY_IDS, readSqlFile } from '@twitch-pipeline/features';

/** The Parquet footer key under which every silver object and gold partition names the model version that wrote it. */
export const MODEL_VERSION_KEY = 'twitch_pipeline_model';

/** The layers whose objects carry a model version. */
export type ModelLayer = 'silver' | 'gold';

/**
 * The version of a layer's models, `<layer>:<16 hex digits>`: a SHA-256 of every SQL text the
 * step runs to write that layer (its models, the typed SELECT that fixes the columns, the
 * macros and the non-game list they bind). Any change to what the layer computes changes it,
 * so an object written by another version of the product is recognised by its footer alone.
 * A change to a comment changes it too; the cost is a rebuild from bronze, never a wrong row.
 *
 * @example
 * modelVersion('silver', [modelSql('silver_streams')]); // 'silver:3f9a…'
 */
export function modelVersion(layer: ModelLayer, sqlTexts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const text of [readSqlFile('macros', 'features.sql'), JSON.stringify(NON_GAME_CATEGORY_IDS), ...sqlTexts]) hash.update(`${text.length}:${text}`);
  return `${layer}:${hash.digest('hex').slice(0, 16)}`;
}

/**
 * Computes a value on first use and keeps it: the versions read SQL files, which a Lambda
 * bundle ships beside its entry and a module must not need at import time.
 *
 * @example
 * const version = once(() => modelVersion('silver', [modelSql('silver_streams')]));
 * version(); // computed now, the same string on every later call
 */
export function once<T>(compute: () => T): () => T {
  let value: { computed: T } | undefined;
  return () => {
    value ??= { computed: compute() };
    return value.computed;
  };
}
