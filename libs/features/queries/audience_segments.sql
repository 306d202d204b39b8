-- name: audience_segments
-- description: Audience segments between two dates: hours watched, average viewers per live channel and the peak of one channel by language × content type (Game / Non-Game) × period of the day, with each segment's share (percent) of its language's hours watched.
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  idioma,
  tipo_conteudo,
  periodo_dia,
  ROUND(SUM(horas_assistidas), 1) AS horas_assistidas,
  ROUND(SUM(horas_assistidas) * 60 / NULLIF(SUM(minutos_transmitidos), 0), 1) AS media_espectadores,
  MAX(pico_espectadores) AS pico_espectadores,
  ROUND(100 * SUM(horas_assistidas) / NULLIF(SUM(SUM(horas_assistidas)) OVER (PARTITION BY idioma), 0), 2) AS pct_horas_idioma
FROM gold_idiomas_periodo
WHERE dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY idioma, tipo_conteudo, periodo_dia
ORDER BY idioma, tipo_conteudo,
  CASE periodo_dia WHEN 'Dawn' THEN 1 WHEN 'Morning' THEN 2 WHEN 'Afternoon' THEN 3 ELSE 4 END
