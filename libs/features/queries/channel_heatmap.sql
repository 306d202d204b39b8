-- name: channel_heatmap
-- description: When one channel is live and how many watch, by weekday (1 = Monday … 7 = Sunday) and hour of the day (pipeline time zone) between two dates: hours streamed, time-weighted average viewers, days and samples. Reads gold_canais_hora, the channel × local hour grain, with the same time-weighted estimate as the other gold tables; samples are the silver rows behind each cell.
-- param: login | Channel login (lower-case)
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
-- 2000-01-03 was a Monday: days since then, modulo 7, give the ISO weekday on both engines.
SELECT
  date_diff('day', DATE '2000-01-03', data) % 7 + 1 AS dia_semana,
  hora_dia,
  ROUND(SUM(minutos_transmitidos) / 60, 2) AS horas_transmitidas,
  ROUND(SUM(horas_assistidas) * 60 / NULLIF(SUM(minutos_transmitidos), 0), 1) AS media_espectadores,
  COUNT(DISTINCT data) AS dias,
  SUM(amostras) AS amostras
FROM gold_canais_hora
WHERE nome_streamer = ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY date_diff('day', DATE '2000-01-03', data) % 7 + 1, hora_dia
ORDER BY dia_semana, hora_dia
