-- Model int_streams_por_stream (intermediate: a temporary table of the gold step, never stored):
-- the silver rows of the dates being rebuilt, summed per stream at the finest gold grain.
--
-- Source:  silver_streams — the silver rows of the dates being rebuilt.
-- Every daily gold table is a roll-up of this relation, which has about a tenth of the silver
-- rows (one row per stream and period instead of one per snapshot). The sums stay exact
-- decimals until the gold models round them to doubles, so no precision is lost on the way.
WITH source AS (
  SELECT * FROM silver_streams
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
    sum(decimal_exato(intervalo_minutos)) AS minutos_exatos,
    sum(decimal_exato(horas_assistidas)) AS horas_exatas,
    max(espectadores) AS pico_espectadores,
    count(*) AS amostras
  FROM source
  GROUP BY data, nome_streamer, nome_categoria, tipo_conteudo, periodo_dia, idioma, id_stream
)

SELECT * FROM final
