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
-- statement and 0.9-1.6 s in four windows (see docs/transforms.md, Gold). Each use scans the
-- window's rows again rather than a stored copy of them, which was no faster and takes memory.
WITH source AS NOT MATERIALIZED (
  SELECT
    data, nome_streamer, hora_dia, id_stream, minutos_exatos, horas_exatas, pico_espectadores, amostras,
    hash(data, nome_streamer, hora_dia, id_stream) AS chave_stream
  FROM int_horas_estimadas
  WHERE hora_dia >= $hora_de AND hora_dia < $hora_ate
),

-- A stream has several rows in an hour when its category or language changed in it, and counts
-- once. As int_canais_por_coleta counts channels: only rows sharing a (channel, hour, stream) hash
-- can repeat a stream, and only they are counted distinct. A distinct count of every row was half
-- of this model's time.
shared_keys AS (
  SELECT chave_stream FROM source GROUP BY chave_stream HAVING count(*) > 1
),

flagged AS (
  SELECT source.*, chave_stream IN (SELECT chave_stream FROM shared_keys) AS chave_compartilhada
  FROM source
),

-- The exact decimal sums add up in any grouping.
aggregated AS (
  SELECT
    data,
    nome_streamer,
    hora_dia,
    count(*) FILTER (WHERE NOT chave_compartilhada)
      + count(DISTINCT id_stream) FILTER (WHERE chave_compartilhada) AS total_streams,
    CAST(sum(minutos_exatos) AS DOUBLE) AS minutos_transmitidos,
    CAST(sum(horas_exatas) AS DOUBLE) AS horas_assistidas,
    max(pico_espectadores) AS pico_espectadores,
    sum(amostras) AS amostras
  FROM flagged
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
