import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDbEngine, sqlString } from '@twitch-pipeline/duckdb';
import { describe, expect, it } from 'vitest';
import { LakeSession } from '../src/lake/lake-session';
import { resolveCategory } from '../src/profiles/category-profile';
import { useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();

describe('a category typed in another Unicode spelling than the lake holds', () => {
  it('is found: gold written before names were composed holds "e" + combining accent, the keyboard gives "é"', async () => {
    // prepare: one day of gold_categorias_diario naming the category decomposed
    const dataDir = await dataDirectory();
    const folder = join(dataDir, 'lake', 'gold', 'categorias_diario', 'dt=2026-12-01');
    await mkdir(folder, { recursive: true });
    const engine = await DuckDbEngine.open();
    await engine
      .run(
        `COPY (SELECT DATE '2026-12-01' AS data, 'Cafe\u0301 Talk' AS nome_categoria, 'Non-Game' AS tipo_conteudo, CAST(3 AS BIGINT) AS total_streams,
                60.0::DOUBLE AS minutos_transmitidos, 100.0::DOUBLE AS horas_assistidas, 100.0::DOUBLE AS media_espectadores,
                CAST(50 AS BIGINT) AS pico_espectadores, CAST(2 AS BIGINT) AS amostras)
         TO ${sqlString(join(folder, 'part-0.parquet'))} (FORMAT parquet)`,
      )
      .finally(() => engine.close());
    const session = await LakeSession.open(dataDir, { warn: () => undefined });

    // act
    const found = await resolveCategory(session, 'Caf\u00e9 talk', {}).finally(() => session.close());

    // assess: the lake's own spelling, to query it by
    expect(found).toBe('Cafe\u0301 Talk');
  });
});
