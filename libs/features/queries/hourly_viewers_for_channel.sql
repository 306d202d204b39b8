-- name: hourly_viewers_for_channel
-- description: One channel's viewers by the hour (pipeline time zone) its samples were collected in, between two dates, a row for each hour with a sample: the average weighted by the airtime each sample stands for (reaching back into the hour before; channel_heatmap cuts airtime at the hour instead), the peak and the samples.
-- param: login | Channel login (lower-case)
-- deprecated param: channel -> login
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  data,
  hora_dia,
  ROUND(SUM(horas_assistidas) * 60 / NULLIF(SUM(intervalo_minutos), 0), 1) AS media_espectadores,
  MAX(espectadores) AS pico_espectadores,
  COUNT(*) AS amostras
FROM silver_streams
WHERE nome_streamer = ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY data, hora_dia
ORDER BY data, hora_dia
