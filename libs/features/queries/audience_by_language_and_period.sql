-- name: audience_by_language_and_period
-- description: Hours watched, average viewers per live channel (hours watched ÷ hours streamed) and the peak of one channel, by stream language and period of the day (pipeline time zone) between two dates.
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  idioma,
  periodo_dia,
  ROUND(SUM(horas_assistidas), 1) AS horas_assistidas,
  ROUND(SUM(horas_assistidas) * 60 / NULLIF(SUM(minutos_transmitidos), 0), 1) AS media_espectadores,
  MAX(pico_espectadores) AS pico_espectadores
FROM gold_idiomas_periodo
WHERE dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY idioma, periodo_dia
ORDER BY idioma,
  CASE periodo_dia WHEN 'Dawn' THEN 1 WHEN 'Morning' THEN 2 WHEN 'Afternoon' THEN 3 ELSE 4 END
