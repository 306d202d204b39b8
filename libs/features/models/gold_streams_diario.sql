-- Model gold_streams_diario: one row per (data, nome_streamer, nome_categoria, tipo_conteudo, periodo_dia, idioma).
--
-- Source:  int_streams_por_stream — the date's estimated hours summed per stream (see that model
--          and int_horas_estimadas, which joins the snapshots into the integral of viewers).
-- Measures are time-weighted: each hour watched is counted once, in the local hour it happened,
-- instead of counting the same hours again at every snapshot. Sums are exact decimals, so
-- parallel threads adding in any order give the same result.
WITH source AS (
  SELECT * FROM int_streams_por_stream
),

aggregated AS (
  SELECT
    data,
    nome_streamer, nome_categoria, tipo_conteudo, periodo_dia, idioma,
    -- The source grain is this grain plus id_stream: each source row is a distinct stream.
    count(*) AS total_streams,
    CAST(sum(minutos_exatos) AS DOUBLE) AS minutos_transmitidos,
    CAST(sum(horas_exatas) AS DOUBLE) AS horas_assistidas,
    max(pico_espectadores) AS pico_espectadores,
    sum(amostras) AS amostras
  FROM source
  GROUP BY data, nome_streamer, nome_categoria, tipo_conteudo, periodo_dia, idioma
),

final AS (
  SELECT
    data,
    nome_streamer, nome_categoria, tipo_conteudo, periodo_dia, idioma,
    total_streams,
    minutos_transmitidos,
    horas_assistidas,
    media_espectadores(horas_assistidas, minutos_transmitidos) AS media_espectadores,
    pico_espectadores,
    amostras
  FROM aggregated
)

SELECT * FROM final
