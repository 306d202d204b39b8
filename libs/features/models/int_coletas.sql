-- Model int_coletas (intermediate: a temporary table of the gold step, never stored): every
-- snapshot of the rebuild with the one before and the one after it, how many samples it has and
-- its collection interval.
--
-- Sources: silver_streams  — the samples (silver rows) of the date being rebuilt;
--          silver_vizinhas — the samples of the snapshot just before the date and of the one
--                            just after it.
-- Silver timestamps are UTC instants without a zone: epoch reads their microseconds directly
-- (a cast to TIMESTAMPTZ would go through the time-zone library on every row). The estimate
-- (int_horas_estimadas) joins a sample to its stream's sample in the next snapshot, and reads
-- one window of hours at a time: the neighbours are listed here, over all the samples, so that
-- a window's first and last snapshots keep theirs, with their intervals: where the interval
-- changed, the longer of two neighbours' bounds the time between them that a lead-in or a tail
-- may fill.
WITH source AS (
  SELECT coletado_em, intervalo_coleta_minutos FROM silver_streams
  UNION ALL
  SELECT coletado_em, intervalo_coleta_minutos FROM silver_vizinhas
),

per_snapshot AS (
  SELECT
    epoch(coletado_em) AS coletado_s,
    count(*) AS amostras,
    max(60.0 * intervalo_coleta_minutos) AS intervalo_s
  FROM source
  GROUP BY coletado_em
),

final AS (
  SELECT
    coletado_s,
    lag(coletado_s) OVER (ORDER BY coletado_s) AS coleta_anterior_s,
    lead(coletado_s) OVER (ORDER BY coletado_s) AS proxima_coleta_s,
    amostras,
    intervalo_s,
    lag(intervalo_s) OVER (ORDER BY coletado_s) AS intervalo_anterior_s,
    lead(intervalo_s) OVER (ORDER BY coletado_s) AS proximo_intervalo_s
  FROM per_snapshot
)

SELECT * FROM final
