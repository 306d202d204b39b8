-- name: category_hours
-- description: One category by hour of the day (pipeline time zone) between two dates, every language together: average channels live (competition), average viewers, viewers per live channel (saturation: audience ÷ competition) and hours watched; averages weight each day by its snapshots. The hours with the most viewers per channel are the best to stream it.
-- param: category | Category name, exactly as in the lake (e.g. Just Chatting)
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  hora_dia,
  ROUND(SUM(canais * amostras) / NULLIF(SUM(amostras), 0), 2) AS canais_ao_vivo,
  ROUND(SUM(espectadores * amostras) / NULLIF(SUM(amostras), 0), 1) AS espectadores_medios,
  ROUND(SUM(espectadores * amostras) / NULLIF(SUM(canais * amostras), 0), 1) AS espectadores_por_canal,
  ROUND(SUM(horas_assistidas), 1) AS horas_assistidas
FROM (
  -- One row per day and hour: the languages of the category added up (they share the hour's snapshots).
  SELECT
    data,
    hora_dia,
    SUM(canais_ao_vivo) AS canais,
    SUM(espectadores_medios) AS espectadores,
    MAX(amostras) AS amostras,
    SUM(horas_assistidas) AS horas_assistidas
  FROM gold_melhores_horarios
  WHERE nome_categoria = ?
    AND dt BETWEEN ? AND ?
    AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
  GROUP BY data, hora_dia
) por_hora
GROUP BY hora_dia
ORDER BY hora_dia
