-- Model int_canais_por_coleta (intermediate: a temporary table of the gold step, never stored):
-- the live channels and their viewers per snapshot, category and language of the date rebuilt.
--
-- Source:     silver_streams — the samples (silver rows) of the date being rebuilt.
-- Parameters: $hora_de, $hora_ate — a window of local hours; the gold step runs this model once
--             per window of int_janelas_horas and keeps every window's rows.
-- gold_melhores_horarios averages these over the snapshots of each hour. Every row lies in the
-- local hour of its snapshot, so any windows give the rows of one statement. Counting channels
-- holds every (snapshot, channel) of the window at once: a full-platform day's in one statement
-- took twice as long as in four windows (see docs/benchmarks.md). A window's filter on the hour
-- skips the other snapshots' silver objects by their statistics.
-- A channel is counted once per snapshot, category and language even when it has two stream ids
-- there (list drift around a restart), but such repeats are rare: rather than a distinct count
-- (a second hash table of every channel with the group's text keys, most of the model's time),
-- rows are counted and the repeats subtracted. Only rows whose (snapshot, channel) hash is shared
-- can repeat a channel; they are counted distinct exactly, so a hash collision costs a few more
-- rows in that count, never a wrong number.
-- Read again by each use rather than stored: a scan of a few Parquet columns costs less.
WITH source AS NOT MATERIALIZED (
  SELECT
    data, id_snapshot, hora_dia, periodo_dia, nome_categoria, idioma, nome_streamer, espectadores,
    hash(id_snapshot, nome_streamer) AS chave_canal
  FROM silver_streams
  WHERE hora_dia >= $hora_de AND hora_dia < $hora_ate
),

shared_keys AS (
  SELECT chave_canal FROM source GROUP BY chave_canal HAVING count(*) > 1
),

-- Rows beyond the first of a channel in its group; groups without any have no row here.
repeats AS (
  SELECT
    data,
    id_snapshot,
    hora_dia,
    periodo_dia,
    nome_categoria,
    idioma,
    count(*) - count(DISTINCT nome_streamer) AS linhas_repetidas
  FROM source
  SEMI JOIN shared_keys ON shared_keys.chave_canal = source.chave_canal
  GROUP BY data, id_snapshot, hora_dia, periodo_dia, nome_categoria, idioma
),

aggregated AS (
  SELECT
    data,
    id_snapshot,
    hora_dia,
    periodo_dia,
    nome_categoria,
    idioma,
    count(*) AS linhas,
    sum(espectadores) AS espectadores
  FROM source
  GROUP BY data, id_snapshot, hora_dia, periodo_dia, nome_categoria, idioma
),

final AS (
  SELECT
    aggregated.data,
    aggregated.id_snapshot,
    aggregated.hora_dia,
    aggregated.periodo_dia,
    aggregated.nome_categoria,
    aggregated.idioma,
    aggregated.linhas - coalesce(repeats.linhas_repetidas, 0) AS canais,
    aggregated.espectadores
  FROM aggregated
  LEFT JOIN repeats
    ON repeats.data = aggregated.data
    AND repeats.id_snapshot = aggregated.id_snapshot
    AND repeats.hora_dia = aggregated.hora_dia
    AND repeats.periodo_dia = aggregated.periodo_dia
    AND repeats.nome_categoria IS NOT DISTINCT FROM aggregated.nome_categoria
    AND repeats.idioma IS NOT DISTINCT FROM aggregated.idioma
)

SELECT * FROM final
