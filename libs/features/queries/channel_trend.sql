-- name: channel_trend
-- description: One channel day by day between two dates, a row for each day it was live: time-weighted average viewers (none on a day without minutes on air yet), peak viewers, hours streamed, hours watched and broadcasts.
-- param: login | Channel login (lower-case)
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
-- The average is null on a day without minutes on air (its only samples are the newest snapshot's,
-- taken at midnight), as in the other profile queries: gold's 0 there would read as nobody watching.
SELECT
  data,
  ROUND(horas_assistidas * 60 / NULLIF(minutos_transmitidos, 0), 1) AS media_espectadores,
  pico_espectadores,
  ROUND(minutos_transmitidos / 60, 1) AS horas_transmitidas,
  ROUND(horas_assistidas, 1) AS horas_assistidas,
  -- The broadcasts sampled that day, as channel_summary counts them (gold written before that
  -- column existed: every stream with airtime that day).
  COALESCE(transmissoes_amostradas, total_streams) AS transmissoes
FROM gold_streamers_diario
WHERE nome_streamer = ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
ORDER BY data
