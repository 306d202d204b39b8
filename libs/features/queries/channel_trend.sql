-- name: channel_trend
-- description: One channel day by day between two dates, a row for each day it was live: time-weighted average viewers, peak viewers, hours streamed, hours watched and broadcasts.
-- param: login | Channel login (lower-case)
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  data,
  ROUND(media_espectadores, 1) AS media_espectadores,
  pico_espectadores,
  ROUND(minutos_transmitidos / 60, 1) AS horas_transmitidas,
  ROUND(horas_assistidas, 1) AS horas_assistidas,
  total_streams AS transmissoes
FROM gold_streamers_diario
WHERE nome_streamer = ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
ORDER BY data
