-- Model gold_categorias_canais: one row per (data, nome_categoria, tipo_conteudo, idioma, nome_streamer).
--
-- Source:  int_streams_por_stream — the date's estimated hours summed per stream (see that model
--          and int_horas_estimadas), the relation every daily gold table rolls up.
-- The grain of a category's profile (its channels and languages). The gold step writes it in
-- unique-key order, so a category's rows share a few row groups and readers skip the others;
-- gold_streams_diario, in channel order, serves the channel profile the same way.
WITH source AS (
  SELECT * FROM int_streams_por_stream
),

aggregated AS (
  SELECT
    data,
    nome_categoria,
    tipo_conteudo,
    idioma,
    nome_streamer,
    count(DISTINCT id_stream) AS total_streams,
    CAST(sum(minutos_exatos) AS DOUBLE) AS minutos_transmitidos,
    CAST(sum(horas_exatas) AS DOUBLE) AS horas_assistidas,
    max(pico_espectadores) AS pico_espectadores,
    sum(amostras) AS amostras
  FROM source
  GROUP BY data, nome_categoria, tipo_conteudo, idioma, nome_streamer
),

final AS (
  SELECT
    data,
    nome_categoria,
    tipo_conteudo,
    idioma,
    nome_streamer,
    total_streams,
    minutos_transmitidos,
    horas_assistidas,
    media_espectadores(horas_assistidas, minutos_transmitidos) AS media_espectadores,
    pico_espectadores,
    amostras
  FROM aggregated
)

SELECT * FROM final
