-- Model int_horas_estimadas (intermediate: a temporary table of the gold step, never stored):
-- the estimated integral of viewers over time, per stream and local hour of the date rebuilt.
--
-- Sources:   silver_streams  — the samples (silver rows) of the date being rebuilt;
--            silver_vizinhas — the samples of the snapshot just before the date and of the one
--                              just after it, so that a broadcast crossing midnight is joined whole.
-- Parameter: $data — the date being rebuilt (YYYY-MM-DD).
--
-- A snapshot samples each live broadcast's viewers once per interval. The estimate joins them:
--   lead-in   the first sample of a broadcast (or the first after a snapshot that missed it)
--             stands for the time since started_at, at most one interval back, at its own level:
--             audiences arrive within minutes of the start (notifications), so the level before
--             the first sample is much nearer the sample than 0 (a linear rise from 0 measured
--             1-4 % low at 30-60 minute intervals; see docs/transforms.md);
--   between   samples of one stream id in consecutive snapshots are joined linearly (trapezoid rule);
--   tail      a broadcast absent from the next snapshot ended somewhere in between; with the end
--             equally likely anywhere in that gap (at most one interval), its expected airtime
--             after the last sample is half the gap, at the last level;
--   open      a broadcast still live in the newest snapshot has no tail yet: the estimate stops
--             at that instant, and the next snapshot settles it (the gold step then rebuilds the
--             date of the previous snapshot too).
-- Each segment is cut at every UTC hour (quarter hour in zones with a fractional offset), on
-- which local hours start, and each piece is attributed to the local date, hour and period it
-- happened in; pieces of other dates (the neighbours' share) are dropped. Samples also count
-- once in their own hour (amostras), and each piece carries the larger of the samples that
-- bound it as its peak.
WITH source AS (
  SELECT id_stream, nome_streamer, nome_categoria, tipo_conteudo, idioma, espectadores,
         iniciado_em, coletado_em, intervalo_coleta_minutos, fuso_horario
  FROM silver_streams
  UNION ALL
  SELECT id_stream, nome_streamer, nome_categoria, tipo_conteudo, idioma, espectadores,
         iniciado_em, coletado_em, intervalo_coleta_minutos, fuso_horario
  FROM silver_vizinhas
),

-- Silver timestamps are UTC instants without a zone: epoch reads their microseconds directly
-- (a cast to TIMESTAMPTZ would go through the time-zone library on every row).
renamed AS (
  SELECT
    id_stream,
    nome_streamer,
    nome_categoria,
    tipo_conteudo,
    idioma,
    espectadores,
    epoch(iniciado_em) AS iniciado_s,
    epoch(coletado_em) AS coletado_s,
    60.0 * intervalo_coleta_minutos AS intervalo_s,
    fuso_horario
  FROM source
),

snapshots AS (
  SELECT
    coletado_s,
    lag(coletado_s) OVER (ORDER BY coletado_s) AS coleta_anterior_s,
    lead(coletado_s) OVER (ORDER BY coletado_s) AS proxima_coleta_s
  FROM (SELECT DISTINCT coletado_s FROM renamed)
),

samples AS (
  SELECT renamed.*, snapshots.coleta_anterior_s, snapshots.proxima_coleta_s, true AS presente
  FROM renamed
  JOIN snapshots ON snapshots.coletado_s = renamed.coletado_s
),

-- Whole-hour zones (most) are cut at UTC hours, others at quarter hours (every zone's local
-- hours start on one): half as many pieces where that is enough.
zone_cuts AS (
  SELECT
    fuso_horario,
    CASE WHEN bool_and(CAST(epoch(timezone(fuso_horario, to_timestamp(coletado_s))) - coletado_s AS BIGINT) % 3600 = 0)
      THEN 3600 ELSE 900 END AS corte_s
  FROM (SELECT DISTINCT fuso_horario, coletado_s FROM renamed)
  GROUP BY fuso_horario
),

-- Neighbouring samples are equality lookups: a stream id is in a snapshot at most once (silver
-- quarantines repeats), so the sample after (id_stream, coletado_s) is the row at (id_stream,
-- the next snapshot's coletado_s), if any. One full join of the samples with themselves on that
-- key (a hash join, cheaper than sorting every stream's samples) gives each segment once:
-- a matched pair is the trapezoid from a sample to the next; a sample without a match on the
-- right has its tail (or, in the newest snapshot, nothing); a sample without a match on the left
-- is one the previous snapshot missed, and its row is its lead-in (entrada).
paired AS (
  SELECT
    current.presente IS NULL AS entrada,
    current.id_stream, current.nome_streamer, current.nome_categoria, current.tipo_conteudo, current.idioma,
    current.fuso_horario, current.coletado_s, current.espectadores, current.intervalo_s, current.proxima_coleta_s,
    following.id_stream AS seguinte_id_stream, following.nome_streamer AS seguinte_nome_streamer,
    following.nome_categoria AS seguinte_nome_categoria, following.tipo_conteudo AS seguinte_tipo_conteudo,
    following.idioma AS seguinte_idioma, following.fuso_horario AS seguinte_fuso_horario,
    following.coletado_s AS proxima_amostra_s, following.espectadores AS proximos_espectadores,
    following.iniciado_s AS seguinte_iniciado_s, following.intervalo_s AS seguinte_intervalo_s
  FROM samples AS current
  FULL OUTER JOIN samples AS following
    ON following.id_stream = current.id_stream AND following.coletado_s = current.proxima_coleta_s
),

-- Each sample also counts once (amostra) on the segment that starts at it; the newest snapshot's
-- samples get an empty segment for that.
segments AS (
  SELECT
    CASE WHEN entrada THEN seguinte_id_stream ELSE id_stream END AS id_stream,
    CASE WHEN entrada THEN seguinte_nome_streamer ELSE nome_streamer END AS nome_streamer,
    CASE WHEN entrada THEN seguinte_nome_categoria ELSE nome_categoria END AS nome_categoria,
    CASE WHEN entrada THEN seguinte_tipo_conteudo ELSE tipo_conteudo END AS tipo_conteudo,
    CASE WHEN entrada THEN seguinte_idioma ELSE idioma END AS idioma,
    CASE WHEN entrada THEN seguinte_fuso_horario ELSE fuso_horario END AS fuso_horario,
    CASE WHEN entrada THEN greatest(seguinte_iniciado_s, proxima_amostra_s - seguinte_intervalo_s) ELSE coletado_s END AS inicio_s,
    CASE
      WHEN entrada THEN proxima_amostra_s
      WHEN proxima_amostra_s IS NOT NULL THEN proxima_amostra_s
      WHEN proxima_coleta_s IS NOT NULL THEN coletado_s + least(proxima_coleta_s - coletado_s, intervalo_s) / 2
      ELSE coletado_s
    END AS fim_s,
    CASE WHEN entrada THEN proximos_espectadores ELSE espectadores END AS espectadores_inicio,
    CASE WHEN proxima_amostra_s IS NULL THEN espectadores ELSE proximos_espectadores END AS espectadores_fim,
    CASE WHEN entrada THEN 0 ELSE 1 END AS amostra
  FROM paired
),

-- A segment within one cut (most of them) is one piece; only the others are split by unnest.
bounded AS (
  SELECT
    segments.*,
    zone_cuts.corte_s,
    CAST(floor(inicio_s / corte_s) AS BIGINT) AS primeiro_corte,
    greatest(CAST(ceil(fim_s / corte_s) AS BIGINT), CAST(floor(inicio_s / corte_s) AS BIGINT) + 1) AS fim_corte
  FROM segments
  JOIN zone_cuts ON zone_cuts.fuso_horario = segments.fuso_horario
  WHERE fim_s > inicio_s OR amostra = 1
),

cut AS (
  SELECT bounded.*, primeiro_corte AS corte
  FROM bounded
  WHERE fim_corte = primeiro_corte + 1
  UNION ALL
  SELECT bounded.*, unnest(range(primeiro_corte, fim_corte)) AS corte
  FROM bounded
  WHERE fim_corte > primeiro_corte + 1
),

pieces AS (
  SELECT
    id_stream, nome_streamer, nome_categoria, tipo_conteudo, idioma, fuso_horario, corte, corte_s,
    inicio_s, fim_s, espectadores_inicio, espectadores_fim,
    greatest(inicio_s, corte_s * corte) AS de_s,
    least(fim_s, corte_s * corte + corte_s) AS ate_s,
    CASE WHEN corte = floor(inicio_s / corte_s) THEN amostra ELSE 0 END AS amostra
  FROM cut
),

measured AS (
  SELECT
    id_stream, nome_streamer, nome_categoria, tipo_conteudo, idioma, fuso_horario, corte, corte_s,
    (ate_s - de_s) / 60 AS minutos,
    CASE WHEN fim_s > inicio_s THEN (ate_s - de_s) / 3600 * (
      espectadores_inicio + (espectadores_fim - espectadores_inicio) * ((de_s + ate_s) / 2 - inicio_s) / (fim_s - inicio_s)
    ) ELSE 0 END AS horas,
    greatest(espectadores_inicio, espectadores_fim) AS pico_espectadores,
    amostra
  FROM pieces
),

-- Every piece of a cut shares its local date and hour: convert each cut of the covered time
-- once (a few hundred), listed from the segments' bounds rather than from the pieces.
cut_range AS (
  SELECT
    segments.fuso_horario,
    zone_cuts.corte_s,
    unnest(range(
      CAST(floor(min(segments.inicio_s) / zone_cuts.corte_s) AS BIGINT),
      CAST(ceil(max(segments.fim_s) / zone_cuts.corte_s) AS BIGINT) + 1
    )) AS corte
  FROM segments
  JOIN zone_cuts ON zone_cuts.fuso_horario = segments.fuso_horario
  GROUP BY segments.fuso_horario, zone_cuts.corte_s
),

local_cuts AS MATERIALIZED (
  SELECT
    corte,
    fuso_horario,
    data_local(to_timestamp(corte_s * corte), fuso_horario) AS data,
    hora_local(to_timestamp(corte_s * corte), fuso_horario) AS hora_dia,
    periodo_dia(to_timestamp(corte_s * corte), fuso_horario) AS periodo_dia
  FROM cut_range
),

located AS (
  SELECT
    local_cuts.data, local_cuts.hora_dia, local_cuts.periodo_dia,
    nome_streamer, nome_categoria, tipo_conteudo, idioma, id_stream,
    minutos, horas, pico_espectadores, amostra
  FROM measured
  JOIN local_cuts ON local_cuts.corte = measured.corte AND local_cuts.fuso_horario = measured.fuso_horario
  WHERE local_cuts.data = CAST($data AS DATE)
),

final AS (
  SELECT
    data,
    hora_dia,
    periodo_dia,
    nome_streamer,
    nome_categoria,
    tipo_conteudo,
    idioma,
    id_stream,
    sum(decimal_exato(minutos)) AS minutos_exatos,
    sum(decimal_exato(horas)) AS horas_exatas,
    max(pico_espectadores) AS pico_espectadores,
    sum(amostra) AS amostras
  FROM located
  GROUP BY data, hora_dia, periodo_dia, nome_streamer, nome_categoria, tipo_conteudo, idioma, id_stream
)

SELECT * FROM final
