-- name: channel_rank
-- description: Where one channel ranks among the channels that streamed in one language between two dates: position by hours watched and by time-weighted average viewers (1 = first; tied channels share a position), out of how many channels; no row when it did not stream in that language. The channel's profile ranks it in its main language (channel_languages).
-- param: language | Stream language code such as pt or en
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: first_date: date | First date, inclusive (YYYY-MM-DD) | 2000-01-01
-- param: last_date: date | Last date, inclusive (YYYY-MM-DD) | 2100-12-31
-- param: login | Channel login (lower-case)
-- The dates filter the dt partition (Athena reads only those partitions) and the data column.
-- The language is a constant filter, so both engines read only that language's rows.
SELECT
  posicao_horas_assistidas,
  posicao_media_espectadores,
  canais,
  horas_assistidas,
  media_espectadores
FROM (
  SELECT
    nome_streamer,
    ROUND(SUM(horas_assistidas), 1) AS horas_assistidas,
    ROUND(SUM(horas_assistidas) * 60 / NULLIF(SUM(minutos_transmitidos), 0), 1) AS media_espectadores,
    RANK() OVER (ORDER BY SUM(horas_assistidas) DESC) AS posicao_horas_assistidas,
    RANK() OVER (ORDER BY SUM(horas_assistidas) / NULLIF(SUM(minutos_transmitidos), 0) DESC NULLS LAST) AS posicao_media_espectadores,
    COUNT(*) OVER () AS canais
  FROM gold_streams_diario
  WHERE idioma = ?
    AND dt BETWEEN ? AND ?
    AND data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
  GROUP BY nome_streamer
) ranked
WHERE nome_streamer = ?
