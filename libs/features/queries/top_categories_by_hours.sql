-- name: top_categories_by_hours
-- description: The 20 categories with the most hours watched between two dates (time-weighted), with average viewers per live channel and the peak of one channel.
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  nome_categoria,
  tipo_conteudo,
  ROUND(SUM(horas_assistidas), 1) AS horas_assistidas,
  ROUND(SUM(horas_assistidas) * 60 / NULLIF(SUM(minutos_transmitidos), 0), 1) AS media_espectadores,
  MAX(pico_espectadores) AS pico_espectadores
FROM gold_categorias_diario
WHERE dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY nome_categoria, tipo_conteudo
ORDER BY horas_assistidas DESC, nome_categoria
LIMIT 20
