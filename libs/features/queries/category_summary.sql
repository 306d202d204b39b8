-- name: category_summary
-- description: One category between two dates: hours watched (time-weighted) and streamed, average viewers per live channel, the peak of one channel, channels that streamed it and days; no row when nobody streamed it.
-- param: category | Category name, exactly as in the lake (e.g. Just Chatting)
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
-- Sums are exact decimals: doubles added by parallel threads in any order could round a total differently from run to run.
SELECT
  nome_categoria,
  tipo_conteudo,
  MIN(data) AS primeiro_dia,
  MAX(data) AS ultimo_dia,
  COUNT(DISTINCT data) AS dias,
  COUNT(DISTINCT nome_streamer) AS canais,
  ROUND(SUM(CAST(minutos_transmitidos AS DECIMAL(38, 9))) / 60, 1) AS horas_transmitidas,
  ROUND(SUM(CAST(horas_assistidas AS DECIMAL(38, 9))), 1) AS horas_assistidas,
  ROUND(SUM(CAST(horas_assistidas AS DECIMAL(38, 9))) * 60 / NULLIF(SUM(CAST(minutos_transmitidos AS DECIMAL(38, 9))), 0), 1) AS media_espectadores,
  MAX(pico_espectadores) AS pico_espectadores
FROM gold_categorias_canais
WHERE nome_categoria = ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY nome_categoria, tipo_conteudo
