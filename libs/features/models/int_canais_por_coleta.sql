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
-- there (list drift around a restart), but such repeats are rare: rather than a distinct count of
-- every row (a second hash table of every channel with the group's text keys, most of the
-- model's time), only rows whose (snapshot, channel) hash another row shares, the only ones that
-- can repeat a channel, are counted distinct; the others count one each. A hash collision only
-- puts a few more rows in the distinct count, never a wrong number.
-- Each use reads silver_streams again rather than a stored copy (a scan of a few Parquet columns
-- costs less), and names the view itself rather than a NOT MATERIALIZED CTE: DuckDB copies such a
-- CTE's scan for its second use and reads the copy's files as patterns again, so a lake under a
-- folder named like `lake*` counted the channels of every folder the name matches.
WITH shared_keys AS (
  SELECT hash(id_snapshot, nome_streamer) AS chave_canal
  FROM silver_streams
  WHERE hora_dia >= $hora_de AND hora_dia < $hora_ate
  GROUP BY chave_canal
  HAVING count(*) > 1
),

flagged AS (
  SELECT
    data, id_snapshot, hora_dia, periodo_dia, nome_categoria, idioma, nome_streamer, espectadores,
    hash(id_snapshot, nome_streamer) IN (SELECT chave_canal FROM shared_keys) AS chave_compartilhada
  FROM silver_streams
  WHERE hora_dia >= $hora_de AND hora_dia < $hora_ate
),

final AS (
  SELECT
    data,
    id_snapshot,
    hora_dia,
    periodo_dia,
    nome_categoria,
    idioma,
    count(*) FILTER (WHERE NOT chave_compartilhada)
      + count(DISTINCT nome_streamer) FILTER (WHERE chave_compartilhada) AS canais,
    sum(espectadores) AS espectadores
  FROM flagged
  GROUP BY data, id_snapshot, hora_dia, periodo_dia, nome_categoria, idioma
)

SELECT * FROM final
