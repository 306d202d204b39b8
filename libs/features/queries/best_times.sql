-- name: best_times
-- description: Best hours to stream a category in a language between two dates (pipeline time zone), most viewers per channel first: by hour, average live channels and viewers, viewers per live channel (audience ÷ competition), hours watched summed over the range, the hour's snapshots in the range (amostras). Each day sampled at the hour weighs the same however often collected; a snapshot or day without it live counts as 0.
-- param: category | Category name, case-insensitive; % and _ match like SQL LIKE, % alone for every category | %
-- param: language | Stream language code such as pt or en, case-insensitive; % for every language | %
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
  SELECT
    nome_categoria,
    idioma,
    hora_dia,
    periodo_dia,
    SUM(canais_ao_vivo) AS canais_dias,
    SUM(espectadores_medios) AS espectadores_dias,
    SUM(horas_assistidas) AS horas_assistidas
  FROM gold_melhores_horarios
  WHERE LOWER(nome_categoria) LIKE LOWER(?)
    AND LOWER(idioma) LIKE LOWER(?)
    AND dt BETWEEN ? AND ?
    AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
  GROUP BY nome_categoria, idioma, hora_dia, periodo_dia
),

range_hours AS (
  -- The days sampled at each hour of the range, whichever categories they had: each row of a
  -- day's hour carries that hour's snapshot count, and the table holds the hour if any category
  -- was live then. Each day counts once, not once per snapshot, which would weigh a day collected
  -- every 10 minutes three times one collected every 30.
  SELECT
    hora_dia,
    COUNT(*) AS dias,
    SUM(amostras) AS amostras
  FROM (
    SELECT data, hora_dia, MAX(amostras) AS amostras
    FROM gold_melhores_horarios
    WHERE dt BETWEEN ? AND ?
      AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
    GROUP BY data, hora_dia
  ) per_day
  GROUP BY hora_dia
)

SELECT
  category_hours.nome_categoria,
  category_hours.idioma,
  category_hours.hora_dia,
  category_hours.periodo_dia,
  ROUND(category_hours.canais_dias / range_hours.dias, 2) AS canais_ao_vivo,
  ROUND(category_hours.espectadores_dias / range_hours.dias, 1) AS espectadores_medios,
  ROUND(category_hours.espectadores_dias / NULLIF(category_hours.canais_dias, 0), 1) AS espectadores_por_canal,
  ROUND(category_hours.horas_assistidas, 1) AS horas_assistidas,
  range_hours.amostras
FROM category_hours
JOIN range_hours ON range_hours.hora_dia = category_hours.hora_dia
ORDER BY espectadores_por_canal DESC, category_hours.hora_dia, category_hours.nome_categoria, category_hours.idioma
