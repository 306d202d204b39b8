-- Model gold_melhores_horarios: one row per (data, nome_categoria, idioma, hora_dia, periodo_dia)
-- — how much audience a category has in a language at each hour, and how many channels share it.
--
-- Sources: int_canais_por_coleta — the date's live channels and viewers per snapshot, category
--                                  and language (each snapshot is one sample);
--          int_horas_estimadas   — the date's estimate of hours watched per stream and local hour.
-- Averages divide by every snapshot taken in the hour, so a snapshot in which the category had
-- no live channel counts as 0 channels and 0 viewers. Hours watched are the estimate's (the same
-- as the daily tables'), not a per-sample step. The table keeps the hours in which the category
-- was sampled: an estimated lead-in or tail that falls in an hour with no sample of its category
-- and language is in the daily tables only.
-- espectadores_por_canal = audience ÷ competition: the viewers a channel gets on average when
-- it goes live there and then, the figure a streamer compares to pick an under-served slot.
WITH source AS (
  SELECT * FROM int_canais_por_coleta
),

estimated AS (
  SELECT data, nome_categoria, idioma, hora_dia, horas_exatas
  FROM int_horas_estimadas
),

snapshots_per_hour AS (
  SELECT
    data,
    hora_dia,
    count(DISTINCT id_snapshot) AS amostras
  FROM source
  GROUP BY data, hora_dia
),

per_hour AS (
  SELECT
    data,
    nome_categoria,
    idioma,
    hora_dia,
    periodo_dia,
    sum(canais) AS canais,
    sum(espectadores) AS espectadores
  FROM source
  GROUP BY data, nome_categoria, idioma, hora_dia, periodo_dia
),

hours_per_hour AS (
  SELECT
    data,
    nome_categoria,
    idioma,
    hora_dia,
    CAST(sum(horas_exatas) AS DOUBLE) AS horas_assistidas
  FROM estimated
  GROUP BY data, nome_categoria, idioma, hora_dia
),

final AS (
  SELECT
    per_hour.data,
    per_hour.nome_categoria,
    per_hour.idioma,
    per_hour.hora_dia,
    per_hour.periodo_dia,
    per_hour.canais / snapshots_per_hour.amostras AS canais_ao_vivo,
    per_hour.espectadores / snapshots_per_hour.amostras AS espectadores_medios,
    per_hour.espectadores / per_hour.canais AS espectadores_por_canal,
    coalesce(hours_per_hour.horas_assistidas, 0) AS horas_assistidas,
    snapshots_per_hour.amostras
  FROM per_hour
  JOIN snapshots_per_hour ON snapshots_per_hour.data = per_hour.data AND snapshots_per_hour.hora_dia = per_hour.hora_dia
  LEFT JOIN hours_per_hour
    ON hours_per_hour.data = per_hour.data
    AND hours_per_hour.nome_categoria = per_hour.nome_categoria
    AND hours_per_hour.idioma = per_hour.idioma
    AND hours_per_hour.hora_dia = per_hour.hora_dia
)

SELECT * FROM final
