-- name: channel_summary
-- description: One channel between two dates: hours streamed, hours watched (time-weighted), average and peak viewers, broadcasts sampled in the range (one across midnight counted once) and days live; no row when the channel was not live.
-- param: login | Channel login (lower-case)
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  nome_streamer,
  MIN(data) AS primeiro_dia,
  MAX(data) AS ultimo_dia,
  COUNT(DISTINCT data) AS dias_ao_vivo,
  -- A broadcast sampled on the date before is counted there, unless that date is outside the
  -- range (the range's first date live). Gold written before the two counts existed has neither:
  -- its broadcasts are counted per day, as it counted them.
  SUM(COALESCE(transmissoes_amostradas, total_streams)) - SUM(COALESCE(transmissoes_continuadas, 0))
    + MIN_BY(COALESCE(transmissoes_continuadas, 0), data) AS transmissoes,
  ROUND(SUM(minutos_transmitidos) / 60, 1) AS horas_transmitidas,
  ROUND(SUM(horas_assistidas), 1) AS horas_assistidas,
  ROUND(SUM(horas_assistidas) * 60 / NULLIF(SUM(minutos_transmitidos), 0), 1) AS media_espectadores,
  MAX(pico_espectadores) AS pico_espectadores
FROM gold_streamers_diario
WHERE nome_streamer = ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY nome_streamer
