-- Model gold_canais_hora: one row per (data, nome_streamer, hora_dia).
--
-- Source:     int_horas_estimadas — the date's estimate per stream and local hour (see that
--             model), the relation every daily gold table rolls up, so a channel's hours here add
--             up to its row in gold_streamers_diario.
-- Parameters: $hora_de, $hora_ate — a window of local hours; the gold step runs this model once
--             per window of int_janelas_horas and keeps every window's rows.
-- The grain of a channel's weekday x hour heat-map: a profile reads these few rows per channel
-- and day instead of every silver sample of the days it was live. Nearly every channel hour is a
-- row (2.4 M of the 2.8 M estimate rows of a full-platform day); grouped a window at a time, the
-- hash table holds a window's rows rather than the day's: the grouping took 2.3-2.5 s in one
-- statement and 0.9-1.6 s in four windows (see docs/transforms.md, Gold).
WITH source AS (
  SELECT * FROM int_horas_estimadas
  WHERE hora_dia >= $hora_de AND hora_dia < $hora_ate
),

-- A stream can have several rows in an hour (one per category or language it had then), so
-- streams are counted distinct; the exact decimal sums add up in any grouping.
aggregated AS (
  SELECT
    data,
    nome_streamer,
    hora_dia,
    count(DISTINCT id_stream) AS total_streams,
    CAST(sum(minutos_exatos) AS DOUBLE) AS minutos_transmitidos,
    CAST(sum(horas_exatas) AS DOUBLE) AS horas_assistidas,
    max(pico_espectadores) AS pico_espectadores,
    sum(amostras) AS amostras
  FROM source
  GROUP BY data, nome_streamer, hora_dia
),

final AS (
  SELECT
    data,
    nome_streamer,
    hora_dia,
    total_streams,
    minutos_transmitidos,
    horas_assistidas,
    media_espectadores(horas_assistidas, minutos_transmitidos) AS media_espectadores,
    pico_espectadores,
    amostras
  FROM aggregated
)

SELECT * FROM final
