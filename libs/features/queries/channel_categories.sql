-- name: channel_categories
-- description: The categories one channel played between two dates, with their share of its airtime and of its hours watched.
-- param: login | Channel login (lower-case)
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  nome_categoria,
  tipo_conteudo,
  ROUND(SUM(minutos_transmitidos) / 60, 1) AS horas_transmitidas,
  ROUND(SUM(horas_assistidas), 1) AS horas_assistidas,
  ROUND(SUM(horas_assistidas) * 60 / NULLIF(SUM(minutos_transmitidos), 0), 1) AS media_espectadores,
  ROUND(100 * SUM(minutos_transmitidos) / NULLIF(SUM(SUM(minutos_transmitidos)) OVER (), 0), 1) AS pct_tempo_no_ar,
  ROUND(100 * SUM(horas_assistidas) / NULLIF(SUM(SUM(horas_assistidas)) OVER (), 0), 1) AS pct_horas_assistidas
FROM gold_streams_diario
WHERE nome_streamer = ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY nome_categoria, tipo_conteudo
ORDER BY horas_assistidas DESC, nome_categoria
