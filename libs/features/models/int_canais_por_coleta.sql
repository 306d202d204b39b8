-- Model int_canais_por_coleta (intermediate: a temporary table of the gold step, never stored):
-- the live channels and their viewers per snapshot, category and language of the date rebuilt.
--
-- Source:     silver_streams — the samples (silver rows) of the date being rebuilt.
-- Parameters: $hora_de, $hora_ate — a window of local hours; the gold step runs this model once
--             per window of int_janelas_horas and keeps every window's rows.
-- gold_melhores_horarios averages these over the snapshots of each hour. Every row lies in the
-- local hour of its snapshot, so any windows give the rows of one statement. Counting channels
-- distinct holds every (snapshot, channel) of the window at once: a full-platform day's in one
-- statement took twice as long as in four windows (see docs/benchmarks.md). A window's filter
-- on the hour skips the other snapshots' silver objects by their statistics.
WITH source AS (
  SELECT data, id_snapshot, hora_dia, periodo_dia, nome_categoria, idioma, nome_streamer, espectadores
  FROM silver_streams
  WHERE hora_dia >= $hora_de AND hora_dia < $hora_ate
),

-- A channel with two stream ids in one snapshot counts once: channels are counted distinct.
final AS (
  SELECT
    data,
    id_snapshot,
    hora_dia,
    periodo_dia,
    nome_categoria,
    idioma,
    count(DISTINCT nome_streamer) AS canais,
    sum(espectadores) AS espectadores
  FROM source
  GROUP BY data, id_snapshot, hora_dia, periodo_dia, nome_categoria, idioma
)

SELECT * FROM final
