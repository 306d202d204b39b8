-- name: best_times
-- description: Best hours to stream a category in a language between two dates (pipeline time zone): average live channels, viewers, and viewers per live channel (audience ÷ competition) by hour, the least crowded audience first; averages divide by every snapshot of the hour in the range (amostras), so a day on which the category had no channel live at that hour counts as 0, as a snapshot without one does within a day.
-- param: category | Category name, case-insensitive; % and _ match like SQL LIKE, % alone for every category | %
-- param: language | Stream language code such as pt or en; % for every language | %
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
    SUM(canais_ao_vivo * amostras) AS canais_por_amostra,
    SUM(espectadores_medios * amostras) AS espectadores_por_amostra,
    SUM(horas_assistidas) AS horas_assistidas
  FROM gold_melhores_horarios
  WHERE LOWER(nome_categoria) LIKE LOWER(?)
    AND idioma LIKE ?
    AND dt BETWEEN ? AND ?
    AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
  GROUP BY nome_categoria, idioma, hora_dia, periodo_dia
),

hour_snapshots AS (
  -- Every snapshot of each hour of the range, whichever categories it had: each row of a day's
  -- hour carries that hour's count, and the table holds the hour if any category was live then.
  SELECT
    hora_dia,
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
  ROUND(category_hours.canais_por_amostra / hour_snapshots.amostras, 2) AS canais_ao_vivo,
  ROUND(category_hours.espectadores_por_amostra / hour_snapshots.amostras, 1) AS espectadores_medios,
  ROUND(category_hours.espectadores_por_amostra / NULLIF(category_hours.canais_por_amostra, 0), 1) AS espectadores_por_canal,
  ROUND(category_hours.horas_assistidas, 1) AS horas_assistidas,
  hour_snapshots.amostras
FROM category_hours
JOIN hour_snapshots ON hour_snapshots.hora_dia = category_hours.hora_dia
ORDER BY espectadores_por_canal DESC, category_hours.hora_dia, category_hours.nome_categoria, category_hours.idioma
