-- name: top_streamers_by_average_viewers
-- description: The 20 channels with the highest time-weighted average viewers between two dates, among channels live for at least a minimum of minutes.
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: min_minutes: integer | Minimum minutes streamed in the period | 60
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  nome_streamer,
  ROUND(SUM(horas_assistidas) * 60 / NULLIF(SUM(minutos_transmitidos), 0), 1) AS media_espectadores,
  MAX(pico_espectadores) AS pico_espectadores,
  ROUND(SUM(minutos_transmitidos), 0) AS minutos_transmitidos,
  ROUND(SUM(horas_assistidas), 1) AS horas_assistidas
FROM gold_streamers_diario
WHERE dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY nome_streamer
HAVING SUM(minutos_transmitidos) >= CAST(? AS DOUBLE)
ORDER BY media_espectadores DESC, nome_streamer
LIMIT 20
