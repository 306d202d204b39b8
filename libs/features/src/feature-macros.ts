import type { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { NON_GAME_CATEGORY_IDS } from './content-type';
import { readSqlFile } from './sql-files';

/**
 * Creates the feature macros (`tipo_conteudo`, `periodo_dia`, `hora_local`, `data_local`,
 * `soma_exata`, `media_espectadores`) on an engine. The non-game list is bound from
 * {@link NON_GAME_CATEGORY_IDS}, so SQL and TypeScript classify with the same list.
 *
 * @example
 * await withEngine({}, async (engine) => {
 *   await installFeatureMacros(engine);
 *   await engine.all("SELECT periodo_dia(TIMESTAMP '2026-11-30 02:00:00', $tz) AS p", { tz: 'America/Sao_Paulo' });
 * });
 */
export async function installFeatureMacros(engine: DuckDbEngine): Promise<void> {
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE non_game_categories AS
       SELECT DISTINCT unnest(from_json(CAST($ids AS JSON), '["VARCHAR"]')) AS id_categoria`,
    { ids: JSON.stringify(NON_GAME_CATEGORY_IDS) },
  );
  await engine.run(readSqlFile('macros', 'features.sql'));
}
