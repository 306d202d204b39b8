-- Model int_streams_por_stream (intermediate: a temporary table of the gold step, never stored):
-- the estimated hours of the date being rebuilt, summed per stream at the finest gold grain.
--
-- Source:  int_horas_estimadas — the date's estimate per stream and local hour (see that model).
-- Every daily gold table is a roll-up of this relation. The sums stay exact decimals until the
-- gold models round them to doubles, so no precision is lost on the way.
WITH source AS (
  SELECT * FROM int_horas_estimadas
),

final AS (
  SELECT
    data,
    nome_streamer,
    nome_categoria,
    tipo_conteudo,
    periodo_dia,
    idioma,
    id_stream,
    sum(minutos_exatos) AS minutos_exatos,
    sum(horas_exatas) AS horas_exatas,
    max(pico_espectadores) AS pico_espectadores,
    sum(amostras) AS amostras
  FROM source
  GROUP BY data, nome_streamer, nome_categoria, tipo_conteudo, periodo_dia, idioma, id_stream
)

SELECT * FROM final
