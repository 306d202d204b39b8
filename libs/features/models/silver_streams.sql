-- Model silver_streams: bronze snapshots → typed, renamed, enriched stream rows.
--
-- Source:     bronze_source — the rows of one bronze object: its columns plus _row (row number in
--             the object) and _snapshot (its snapshot id), prepared by the silver step.
-- Parameters: $time_zone                 pipeline time zone of data, hora_dia and periodo_dia
--             $max_skew_minutes          how far started_at may lie after collected_at (clock skew)
--             $default_interval_minutes  schedule period for rows without collection_interval_minutes
--                                        (NULL: such rows are quarantined)
-- Output:     every source row once, with the silver columns and reason: NULL for a trusted row,
--             otherwise why the row goes to quarantine. bronze rows = silver + quarantined.
WITH source AS (
  SELECT *, try_cast(started_at AS TIMESTAMPTZ) AS started_at_tz FROM bronze_source
),

parsed AS (
  SELECT
    source.* REPLACE (
      coalesce(collection_interval_minutes, CAST($default_interval_minutes AS BIGINT)) AS collection_interval_minutes
    ),
    -- started_at is parsed as TIMESTAMPTZ (in source) so an offset is honoured, then kept as a
    -- plain UTC TIMESTAMP like collected_at, so comparing and subtracting need no zone calendar.
    instante_utc(started_at_tz) AS started_at_utc
  FROM source
),

checked AS (
  SELECT
    parsed.*,
    motivo_recusa_silver(
      id, user_id, user_login, viewer_count, collected_at, started_at_utc, collection_interval_minutes,
      $max_skew_minutes
    ) AS check_reason
  FROM parsed
),

-- List drift while paging can return one stream twice in a snapshot: the first copy that passes
-- the checks is kept and the other copies are quarantined. Only the rows of repeated ids are
-- checked a second time, so the join stays tiny. Each reads bronze_source by name rather than a
-- CTE above: DuckDB 1.5 re-reads a copied CTE scan's file name as a pattern.
repeated_ids AS (
  SELECT id
  FROM bronze_source
  WHERE id IS NOT NULL
  GROUP BY id
  HAVING count(*) > 1
),

first_valid_copies AS (
  SELECT
    id,
    min(_row) FILTER (WHERE motivo_recusa_silver(
      id, user_id, user_login, viewer_count, collected_at, instante_utc(try_cast(started_at AS TIMESTAMPTZ)),
      coalesce(collection_interval_minutes, CAST($default_interval_minutes AS BIGINT)), $max_skew_minutes
    ) IS NULL) AS first_row
  FROM bronze_source
  WHERE id IN (SELECT id FROM repeated_ids)
  GROUP BY id
),

deduplicated AS (
  SELECT
    checked.*,
    CASE
      WHEN check_reason IS NOT NULL THEN check_reason
      WHEN checked._row <> first_valid_copies.first_row THEN 'duplicate stream id within the snapshot'
    END AS reason
  FROM checked
  LEFT JOIN first_valid_copies ON first_valid_copies.id = checked.id
),

cleaned AS (
  SELECT
    _row,
    reason,
    id AS id_stream,
    user_id AS id_streamer,
    lower(trim(user_login)) AS nome_streamer,
    coalesce(user_name, '') AS nome_exibicao,
    coalesce(game_id, '') AS id_categoria,
    -- One spelling per name: the same category sent as e + combining accent and as é would group,
    -- match a typed name and key its alerts apart, all looking alike (NFC, as the real-time events).
    CASE WHEN game_name IS NULL OR trim(game_name) = '' THEN 'Unknown' ELSE nfc_normalize(game_name) END AS nome_categoria,
    coalesce(title, '') AS titulo,
    coalesce(language, '') AS idioma,
    coalesce(tags, CAST([] AS VARCHAR[])) AS tags,
    coalesce(is_mature, false) AS conteudo_adulto,
    viewer_count AS espectadores,
    started_at_utc AS iniciado_em,
    collected_at AS coletado_em,
    greatest(0, epoch(collected_at) - epoch(started_at_utc)) / 60.0 AS duracao_minutos,
    collection_interval_minutes,
    collection_interval_minutes AS intervalo_coleta_minutos,
    CAST($time_zone AS VARCHAR) AS fuso_horario,
    _snapshot AS id_snapshot
  FROM deduplicated
),

-- A snapshot has one collection instant: convert each distinct instant once, not once a row.
local_times AS (
  SELECT
    coletado_em,
    periodo_dia(coletado_em, $time_zone) AS periodo_dia,
    hora_local(coletado_em, $time_zone) AS hora_dia,
    data_local(coletado_em, $time_zone) AS data
  FROM (SELECT DISTINCT collected_at AS coletado_em FROM bronze_source WHERE collected_at IS NOT NULL)
),

enriched AS (
  SELECT
    cleaned.*,
    tipo_conteudo(id_categoria) AS tipo_conteudo,
    local_times.periodo_dia,
    local_times.hora_dia,
    -- The airtime this sample stands for (its cell): back to halfway to the previous snapshot,
    -- or to iniciado_em if the broadcast started after that snapshot, plus forward half an
    -- interval, which is both the way to the next sample of a broadcast still live and the
    -- expected rest of one that ends before it. Cells of one broadcast tile its airtime, so the
    -- rows of a day sum to gold's estimate whenever the snapshots keep their schedule.
    CASE
      WHEN duracao_minutos < collection_interval_minutes THEN duracao_minutos
      ELSE collection_interval_minutes / 2.0
    END + collection_interval_minutes / 2.0 AS intervalo_minutos,
    local_times.data
  FROM cleaned
  LEFT JOIN local_times ON local_times.coletado_em = cleaned.coletado_em
),

final AS (
  SELECT
    enriched.*,
    espectadores * intervalo_minutos / 60 AS horas_assistidas,
    espectadores * duracao_minutos / 60 AS horas_assistidas_total
  FROM enriched
)

SELECT * FROM final
