-- name: channel_heatmap
-- description: When one channel is live and how many watch, by weekday (1 = Monday … 7 = Sunday) and hour of the day (pipeline time zone) between two dates: hours streamed, time-weighted average viewers, days and samples. Reads silver (gold has no hour grain per channel).
-- param: login | Channel login (lower-case)
-- param: first_date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: login | Channel login (lower-case)
-- param: first_date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
-- 2000-01-03 was a Monday: days since then, modulo 7, give the ISO weekday on both engines.
SELECT
  date_diff('day', DATE '2000-01-03', data) % 7 + 1 AS dia_semana,
  hora_dia,
  ROUND(SUM(intervalo_minutos) / 60, 2) AS horas_transmitidas,
  ROUND(SUM(horas_assistidas) * 60 / NULLIF(SUM(intervalo_minutos), 0), 1) AS media_espectadores,
  COUNT(DISTINCT data) AS dias,
  COUNT(*) AS amostras
FROM silver_streams
WHERE nome_streamer = ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
  -- Only the days the channel was live (gold knows them): both engines skip the other partitions.
  AND dt IN (SELECT dt FROM gold_streamers_diario WHERE nome_streamer = ? AND dt BETWEEN ? AND ?)
GROUP BY date_diff('day', DATE '2000-01-03', data) % 7 + 1, hora_dia
ORDER BY dia_semana, hora_dia
