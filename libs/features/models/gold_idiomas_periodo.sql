-- Model gold_idiomas_periodo: one row per (data, idioma, tipo_conteudo, periodo_dia).
--
-- Source:  silver_streams — the silver rows of the dates being rebuilt.
-- Measures are time-weighted: each silver row stands for intervalo_minutos of its stream, so
-- hours watched add up across snapshots instead of counting the same hours again.
WITH source AS (
  SELECT * FROM silver_streams
),

aggregated AS (
  SELECT
    data,
    idioma, tipo_conteudo, periodo_dia,
    count(DISTINCT id_stream) AS total_streams,
    soma_exata(intervalo_minutos) AS minutos_transmitidos,
    soma_exata(horas_assistidas) AS horas_assistidas,
    max(espectadores) AS pico_espectadores,
    count(*) AS amostras
  FROM source
  GROUP BY data, idioma, tipo_conteudo, periodo_dia
),

final AS (
  SELECT
    data,
    idioma, tipo_conteudo, periodo_dia,
    total_streams,
    minutos_transmitidos,
    horas_assistidas,
    media_espectadores(horas_assistidas, minutos_transmitidos) AS media_espectadores,
    pico_espectadores,
    amostras
  FROM aggregated
)

SELECT * FROM final
