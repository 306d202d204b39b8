-- Model gold_categorias_diario: one row per (data, nome_categoria, tipo_conteudo).
--
-- Source:  int_streams_por_stream — the day's silver rows summed per stream (see that model).
-- Measures are time-weighted: each silver row stands for intervalo_minutos of its stream, so
-- hours watched add up across snapshots instead of counting the same hours again. Sums are
-- exact decimals, so parallel threads adding in any order give the same result.
WITH source AS (
  SELECT * FROM int_streams_por_stream
),

aggregated AS (
  SELECT
    data,
    nome_categoria, tipo_conteudo,
    count(DISTINCT id_stream) AS total_streams,
    CAST(sum(minutos_exatos) AS DOUBLE) AS minutos_transmitidos,
    CAST(sum(horas_exatas) AS DOUBLE) AS horas_assistidas,
    max(pico_espectadores) AS pico_espectadores,
    sum(amostras) AS amostras
  FROM source
  GROUP BY data, nome_categoria, tipo_conteudo
),

final AS (
  SELECT
    data,
    nome_categoria, tipo_conteudo,
    total_streams,
    minutos_transmitidos,
    horas_assistidas,
    media_espectadores(horas_assistidas, minutos_transmitidos) AS media_espectadores,
    pico_espectadores,
    amostras
  FROM aggregated
)

SELECT * FROM final
