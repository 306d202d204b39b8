-- name: category_hours
-- description: One category by hour of the day (pipeline time zone) between two dates, every language together: average channels live (competition) and viewers, viewers per live channel (saturation: audience ÷ competition; the hours with the most are the best to stream it) and hours watched summed over the range. Each day sampled at the hour weighs the same however often it was collected; a snapshot or day without the category live there counts as 0.
-- param: category | Category name, exactly as in the lake (e.g. Just Chatting)
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
WITH category_hours AS (
  -- The languages of the category added up: they share the day's hour and its snapshots.
  SELECT
    hora_dia,
    SUM(canais_ao_vivo) AS canais_dias,
    SUM(espectadores_medios) AS espectadores_dias,
    SUM(horas_assistidas) AS horas_assistidas
  FROM gold_melhores_horarios
  WHERE nome_categoria = ?
    AND dt BETWEEN ? AND ?
    AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
  GROUP BY hora_dia
),

range_hours AS (
  -- The days sampled at each hour of the range, whichever categories they had: the table holds a
  -- day's hour if any category was live then. Each day counts once, not once per snapshot, which
  -- would weigh a day collected every 10 minutes three times one collected every 30.
  SELECT
    hora_dia,
    COUNT(DISTINCT data) AS dias
  FROM gold_melhores_horarios
  WHERE dt BETWEEN ? AND ?
    AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
  GROUP BY hora_dia
)

SELECT
  category_hours.hora_dia,
  ROUND(category_hours.canais_dias / range_hours.dias, 2) AS canais_ao_vivo,
  ROUND(category_hours.espectadores_dias / range_hours.dias, 1) AS espectadores_medios,
  ROUND(category_hours.espectadores_dias / NULLIF(category_hours.canais_dias, 0), 1) AS espectadores_por_canal,
  ROUND(category_hours.horas_assistidas, 1) AS horas_assistidas
FROM category_hours
JOIN range_hours ON range_hours.hora_dia = category_hours.hora_dia
ORDER BY category_hours.hora_dia
