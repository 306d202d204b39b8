-- name: game_vs_non_game_share
-- description: Share (percent of the day's total) of hours watched and of minutes streamed that went to games and to non-game categories, per day between two dates, with the hours watched.
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  data,
  tipo_conteudo,
  ROUND(SUM(horas_assistidas), 1) AS horas_assistidas,
  ROUND(100 * SUM(horas_assistidas) / NULLIF(SUM(SUM(horas_assistidas)) OVER (PARTITION BY data), 0), 2) AS pct_horas_assistidas,
  ROUND(100 * SUM(minutos_transmitidos) / NULLIF(SUM(SUM(minutos_transmitidos)) OVER (PARTITION BY data), 0), 2) AS pct_minutos_transmitidos
FROM gold_categorias_diario
WHERE dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY data, tipo_conteudo
ORDER BY data, tipo_conteudo
