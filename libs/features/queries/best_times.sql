-- name: best_times
-- description: Best hours to stream a category in a language between two dates (pipeline time zone): average live channels, viewers, and viewers per live channel (audience ÷ competition) by hour, the least crowded audience first; averages weight each day by its snapshots.
-- param: category | Category name, case-insensitive; % and _ match like SQL LIKE, % alone for every category | %
-- param: language | Stream language code such as pt or en; % for every language | %
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
SELECT
  nome_categoria,
  idioma,
  hora_dia,
  periodo_dia,
  ROUND(SUM(canais_ao_vivo * amostras) / SUM(amostras), 2) AS canais_ao_vivo,
  ROUND(SUM(espectadores_medios * amostras) / SUM(amostras), 1) AS espectadores_medios,
  ROUND(SUM(espectadores_medios * amostras) / NULLIF(SUM(canais_ao_vivo * amostras), 0), 1) AS espectadores_por_canal,
  ROUND(SUM(horas_assistidas), 1) AS horas_assistidas,
  SUM(amostras) AS amostras
FROM gold_melhores_horarios
WHERE LOWER(nome_categoria) LIKE LOWER(?)
  AND idioma LIKE ?
  AND dt BETWEEN ? AND ?
  AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
GROUP BY nome_categoria, idioma, hora_dia, periodo_dia
ORDER BY espectadores_por_canal DESC, hora_dia, nome_categoria, idioma
