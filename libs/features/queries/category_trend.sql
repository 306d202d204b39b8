-- name: category_trend
-- description: One category day by day between two dates, a row for each day it was streamed: hours watched (time-weighted), hours streamed, average viewers per live channel, the peak of one channel, and broadcasts.
-- param: category | Category name, exactly as in the lake (e.g. Just Chatting)
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  data,
  ROUND(SUM(horas_assistidas), 1) AS horas_assistidas,
  ROUND(SUM(minutos_transmitidos) / 60, 1) AS horas_transmitidas,
  ROUND(SUM(horas_assistidas) * 60 / NULLIF(SUM(minutos_transmitidos), 0), 1) AS media_espectadores,
  MAX(pico_espectadores) AS pico_espectadores,
  SUM(total_streams) AS transmissoes
FROM gold_categorias_diario
WHERE nome_categoria = ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY data
ORDER BY data
