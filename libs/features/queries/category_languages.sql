-- name: category_languages
-- description: One category's audience by stream language between two dates: channels, hours streamed, hours watched, average viewers per live channel and each language's share (percent) of the hours watched.
-- param: category | Category name, exactly as in the lake (e.g. Just Chatting)
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
-- Sums are exact decimals: doubles added by parallel threads in any order could round a total differently from run to run.
SELECT
  idioma,
  COUNT(DISTINCT nome_streamer) AS canais,
  ROUND(SUM(CAST(minutos_transmitidos AS DECIMAL(38, 9))) / 60, 1) AS horas_transmitidas,
  ROUND(SUM(CAST(horas_assistidas AS DECIMAL(38, 9))), 1) AS horas_assistidas,
  ROUND(SUM(CAST(horas_assistidas AS DECIMAL(38, 9))) * 60 / NULLIF(SUM(CAST(minutos_transmitidos AS DECIMAL(38, 9))), 0), 1) AS media_espectadores,
  ROUND(100 * SUM(CAST(horas_assistidas AS DECIMAL(38, 9))) / NULLIF(SUM(SUM(CAST(horas_assistidas AS DECIMAL(38, 9)))) OVER (), 0), 2) AS pct_horas_assistidas
FROM gold_categorias_canais
WHERE nome_categoria = ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY idioma
ORDER BY horas_assistidas DESC, idioma
