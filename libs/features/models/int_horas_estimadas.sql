-- Model int_horas_estimadas (intermediate: a temporary table of the gold step, never stored):
-- the estimated integral of viewers over time, per stream and local hour of the date rebuilt.
--
-- Sources:    silver_streams    — the samples (silver rows) of the date being rebuilt;
--             silver_vizinhas   — the samples of the snapshot just before the date and of the one
--                                 just after it, so that a broadcast crossing midnight is joined whole;
--             int_coletas       — every snapshot with the one before and after it;
--             int_cortes_locais — the cuts of the covered time with their local date and hour.
-- Parameters: $data — the date being rebuilt (YYYY-MM-DD); $hora_de, $hora_ate — the window of
--             local hours estimated, and $coleta_de, $coleta_ate — the snapshots it reads (one row
--             of int_janelas_horas; the gold step runs this model once per window).
--
-- A snapshot samples each live broadcast's viewers once per interval. The estimate joins them:
--   lead-in   the first sample of a broadcast (or the first after a snapshot that missed it)
--             stands for the time since started_at, at most one interval back (the previous
--             snapshot's, when it was longer and as long ago: after a change to a shorter
--             interval, a broadcast that started after the last longer slot), at its own level:
--             audiences arrive within minutes of the start (notifications), so the level before
--             the first sample is much nearer the sample than 0 (a linear rise from 0 measured
--             1-4 % low at 30-60 minute intervals; see docs/transforms.md);
--   between   samples of one stream id in consecutive snapshots are joined linearly (trapezoid rule);
--   tail      a broadcast absent from the next snapshot ended somewhere in between; with the end
--             equally likely anywhere in that gap (at most one interval, the next snapshot's when
--             it is longer: a change to a longer interval), its expected airtime
--             after the last sample is half the gap, at the last level;
--   open      a broadcast still live in the newest snapshot has no tail yet: the estimate stops
--             at that instant, and the next snapshot settles it (the gold step then rebuilds the
--             date of the previous snapshot too).
-- Each segment is cut at every UTC hour (quarter hour in zones with a fractional offset), on
-- which local hours start, and each piece is attributed to the local date, hour and period it
-- happened in; pieces of other dates (the neighbours' share) and of hours outside the window
-- (the snapshots a window reads also give pieces of the hours around it) are dropped. Samples
-- also count once in their own hour (amostras), and each piece carries the larger of the
-- samples that bound it as its peak.
WITH source AS (
  SELECT id_stream, nome_streamer, nome_categoria, tipo_conteudo, idioma, espectadores,
         iniciado_em, coletado_em, intervalo_coleta_minutos, fuso_horario
  FROM silver_streams
  WHERE coletado_em BETWEEN CAST($coleta_de AS TIMESTAMP) AND CAST($coleta_ate AS TIMESTAMP)
  UNION ALL
  SELECT id_stream, nome_streamer, nome_categoria, tipo_conteudo, idioma, espectadores,
         iniciado_em, coletado_em, intervalo_coleta_minutos, fuso_horario
  FROM silver_vizinhas
  WHERE coletado_em BETWEEN CAST($coleta_de AS TIMESTAMP) AND CAST($coleta_ate AS TIMESTAMP)
),

-- Read again by each use rather than stored: a scan of a few Parquet columns costs less than a
-- stored copy of every sample. Silver timestamps are UTC instants without a zone: epoch reads
-- their microseconds directly (a cast to TIMESTAMPTZ would go through the time-zone library on
-- every row).
renamed AS NOT MATERIALIZED (
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

samples AS (
  SELECT
    renamed.*, int_coletas.coleta_anterior_s, int_coletas.proxima_coleta_s,
    int_coletas.intervalo_anterior_s, int_coletas.proximo_intervalo_s
  FROM renamed
  JOIN int_coletas ON int_coletas.coletado_s = renamed.coletado_s
),

zone_cuts AS (
  SELECT DISTINCT fuso_horario, corte_s FROM int_cortes_locais
),

-- Neighbouring samples are equality lookups: a stream id is in a snapshot at most once (silver
-- quarantines repeats), so a sample's successor is the row of its stream id at the next
-- snapshot's coletado_s, and its predecessor the row at the previous one's. Two hash joins on a
-- narrow copy of (id_stream, coletado_s) cost less than sorting every stream's samples.
stream_samples AS (
  SELECT id_stream, coletado_s, espectadores FROM renamed
),

sequenced AS (
  SELECT
    samples.*,
    following.coletado_s AS proxima_amostra_s,
    following.espectadores AS proximos_espectadores,
    previous.coletado_s IS NULL AS sem_anterior
  FROM samples
  LEFT JOIN stream_samples AS following
    ON following.id_stream = samples.id_stream AND following.coletado_s = samples.proxima_coleta_s
  LEFT JOIN stream_samples AS previous
    ON previous.id_stream = samples.id_stream AND previous.coletado_s = samples.coleta_anterior_s
),

-- Each sample also counts once (amostra) on the segment that starts at it; the newest snapshot's
-- samples get an empty segment for that. A sample the previous snapshot missed also has its
-- lead-in (amostra 0): one or two segments per sample, from one pass over the samples.
split AS (
  SELECT
    sequenced.*,
    unnest(CASE WHEN sem_anterior THEN [0, 1] ELSE [1] END) AS amostra
  FROM sequenced
),

segments AS (
  SELECT
    id_stream, nome_streamer, nome_categoria, tipo_conteudo, idioma, fuso_horario,
    CASE
      WHEN amostra = 0 THEN greatest(iniciado_s, coletado_s - greatest(intervalo_s, least(coletado_s - coleta_anterior_s, intervalo_anterior_s)))
      ELSE coletado_s
    END AS inicio_s,
    CASE
      WHEN amostra = 0 THEN coletado_s
      WHEN proxima_amostra_s IS NOT NULL THEN proxima_amostra_s
      WHEN proxima_coleta_s IS NOT NULL THEN coletado_s + least(proxima_coleta_s - coletado_s, greatest(intervalo_s, proximo_intervalo_s)) / 2
      ELSE coletado_s
    END AS fim_s,
    espectadores AS espectadores_inicio,
    CASE WHEN amostra = 1 AND proxima_amostra_s IS NOT NULL THEN proximos_espectadores ELSE espectadores END AS espectadores_fim,
    amostra
  FROM split
),

-- A segment within one cut (most of them) is one piece; only the others are split into a range.
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
  SELECT
    bounded.*,
    unnest(CASE WHEN fim_corte = primeiro_corte + 1 THEN [primeiro_corte] ELSE range(primeiro_corte, fim_corte) END) AS corte
  FROM bounded
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

located AS (
  SELECT
    local_cuts.data, local_cuts.hora_dia, local_cuts.periodo_dia,
    nome_streamer, nome_categoria, tipo_conteudo, idioma, id_stream,
    minutos, horas, pico_espectadores, amostra
  FROM measured
  JOIN int_cortes_locais AS local_cuts
    ON local_cuts.corte = measured.corte AND local_cuts.fuso_horario = measured.fuso_horario
  WHERE local_cuts.data = CAST($data AS DATE) AND local_cuts.hora_dia >= $hora_de AND local_cuts.hora_dia < $hora_ate
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
