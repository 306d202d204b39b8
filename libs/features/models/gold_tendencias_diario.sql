-- Model gold_tendencias_diario: one row per (data, dimensao, nome) — every category and every
-- channel of the day, against its own trailing 7 days.
--
-- Sources: gold_categorias_diario and gold_streamers_diario — the gold rows of the day being
--          rebuilt and of the 7 days before it (the runner reads those 8 partitions).
-- Parameters: $data — the day being rebuilt (YYYY-MM-DD); $volume_minimo_categoria and
--             $volume_minimo_streamer — TREND_MIN_HOURS_WATCHED, bound by the runner.
-- The baseline of hours watched is the mean over the window days that have gold data, a day
-- without the name counting as 0 (so a channel that streams once a week is not "flat"); the
-- baseline of average viewers is time-weighted over the minutes the name was live. Growth is a
-- ratio (1 = flat). Rows below the minimum volume of hours watched on the day, or whose
-- baseline is under a tenth of it, are kept but not elegivel: tiny channels, and channels that
-- barely streamed before, never top the rising lists with a thousand-fold growth.
WITH categories AS (
  SELECT
    data,
    'categoria' AS dimensao,
    nome_categoria AS nome,
    horas_assistidas,
    minutos_transmitidos
  FROM gold_categorias_diario
),

streamers AS (
  SELECT
    data,
    'streamer' AS dimensao,
    nome_streamer AS nome,
    horas_assistidas,
    minutos_transmitidos
  FROM gold_streamers_diario
),

source AS (
  SELECT * FROM categories
  UNION ALL
  SELECT * FROM streamers
),

renamed AS (
  SELECT
    CAST(data AS DATE) AS data,
    dimensao,
    nome,
    horas_assistidas,
    minutos_transmitidos,
    CAST($data AS DATE) AS dia
  FROM source
  WHERE CAST(data AS DATE) BETWEEN CAST($data AS DATE) - 7 AND CAST($data AS DATE)
),

daily AS (
  -- A category appears once per tipo_conteudo in gold_categorias_diario: one row per name and day.
  SELECT
    data,
    dia,
    dimensao,
    nome,
    soma_exata(horas_assistidas) AS horas_assistidas,
    soma_exata(minutos_transmitidos) AS minutos_transmitidos
  FROM renamed
  GROUP BY data, dia, dimensao, nome
),

window_days AS (
  SELECT
    dimensao,
    count(DISTINCT data) AS dias_janela
  FROM daily
  WHERE data < dia
  GROUP BY dimensao
),

history AS (
  SELECT
    dimensao,
    nome,
    soma_exata(horas_assistidas) AS horas_7d,
    soma_exata(minutos_transmitidos) AS minutos_7d,
    count(DISTINCT data) AS dias_historico
  FROM daily
  WHERE data < dia
  GROUP BY dimensao, nome
),

today AS (
  SELECT
    data,
    dimensao,
    nome,
    horas_assistidas,
    media_espectadores(horas_assistidas, minutos_transmitidos) AS media_espectadores
  FROM daily
  WHERE data = dia
),

enriched AS (
  SELECT
    today.data,
    today.dimensao,
    today.nome,
    today.horas_assistidas,
    today.media_espectadores,
    coalesce(history.horas_7d, 0) / window_days.dias_janela AS media_7d_horas_assistidas,
    CASE WHEN history.minutos_7d > 0 THEN history.horas_7d * 60 / history.minutos_7d END AS media_7d_espectadores,
    coalesce(history.dias_historico, 0) AS dias_historico,
    CASE today.dimensao
      WHEN 'categoria' THEN CAST($volume_minimo_categoria AS DOUBLE)
      ELSE CAST($volume_minimo_streamer AS DOUBLE)
    END AS volume_minimo
  FROM today
  LEFT JOIN history ON history.dimensao = today.dimensao AND history.nome = today.nome
  LEFT JOIN window_days ON window_days.dimensao = today.dimensao
),

final AS (
  SELECT
    data,
    dimensao,
    nome,
    horas_assistidas,
    media_espectadores,
    media_7d_horas_assistidas,
    media_7d_espectadores,
    horas_assistidas / nullif(media_7d_horas_assistidas, 0) AS crescimento_horas,
    media_espectadores / nullif(media_7d_espectadores, 0) AS crescimento_espectadores,
    dias_historico,
    horas_assistidas >= volume_minimo AND coalesce(media_7d_horas_assistidas, 0) >= volume_minimo / 10 AS elegivel
  FROM enriched
)

SELECT * FROM final
