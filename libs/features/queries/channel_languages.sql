-- name: channel_languages
-- description: The languages one channel streamed in between two dates, with hours streamed, hours watched and each language's share of its hours watched; the first is its main language.
-- param: login | Channel login (lower-case)
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  idioma,
  ROUND(SUM(minutos_transmitidos) / 60, 1) AS horas_transmitidas,
  ROUND(SUM(horas_assistidas), 1) AS horas_assistidas,
  ROUND(100 * SUM(horas_assistidas) / NULLIF(SUM(SUM(horas_assistidas)) OVER (), 0), 1) AS pct_horas_assistidas
FROM gold_streams_diario
WHERE nome_streamer = ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY idioma
ORDER BY horas_assistidas DESC, idioma
