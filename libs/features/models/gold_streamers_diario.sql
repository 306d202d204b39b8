-- Model gold_streamers_diario: one row per (data, nome_streamer).
--
-- Sources: int_streams_por_stream — the date's estimated hours summed per stream (see that model
--          and int_horas_estimadas, which joins the snapshots into the integral of viewers);
--          silver_vizinhas — the snapshots just before and after the date, which tell the
--          broadcasts sampled on the date before (a stream id is one broadcast).
-- Measures are time-weighted: each hour watched is counted once, in the local hour it happened,
-- instead of counting the same hours again at every snapshot. Sums are exact decimals, so
-- parallel threads adding in any order give the same result.
-- A broadcast across midnight is in both dates' total_streams; so that a range of dates can count
-- it once, each date also counts the broadcasts it sampled and, of those, the ones the date
-- before sampled too (in its last snapshot).
WITH source AS (
  SELECT * FROM int_streams_por_stream
),

-- The neighbours of the date before it; the one after it has a later date.
earlier AS (
  SELECT DISTINCT id_stream
  FROM silver_vizinhas
  WHERE data < (SELECT min(data) FROM source)
),

flagged AS (
  SELECT
    source.*,
    source.id_stream IN (SELECT id_stream FROM earlier) AS continuada
  FROM source
),

aggregated AS (
  SELECT
    data,
    nome_streamer,
    count(DISTINCT id_stream) AS total_streams,
    CAST(sum(minutos_exatos) AS DOUBLE) AS minutos_transmitidos,
    CAST(sum(horas_exatas) AS DOUBLE) AS horas_assistidas,
    max(pico_espectadores) AS pico_espectadores,
    sum(amostras) AS amostras,
    count(DISTINCT id_stream) FILTER (WHERE amostras > 0) AS transmissoes_amostradas,
    count(DISTINCT id_stream) FILTER (WHERE amostras > 0 AND continuada) AS transmissoes_continuadas
  FROM flagged
  GROUP BY data, nome_streamer
),

final AS (
  SELECT
    data,
    nome_streamer,
    total_streams,
    minutos_transmitidos,
    horas_assistidas,
    media_espectadores(horas_assistidas, minutos_transmitidos) AS media_espectadores,
    pico_espectadores,
    amostras,
    transmissoes_amostradas,
    transmissoes_continuadas
  FROM aggregated
)

SELECT * FROM final
