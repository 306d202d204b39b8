-- Model int_janelas_horas (intermediate, read by the gold step): the local hours of the date
-- being rebuilt in windows, each with the range of snapshots its estimate reads.
--
-- Sources:    int_cortes_locais — the cuts of the covered time with their local date and hour;
--             int_coletas       — every snapshot with the one before and after it, its number
--                                 of samples and its interval.
-- Parameters: $data — the date being rebuilt (YYYY-MM-DD); $amostras_por_janela — about how
--             many samples a window holds.
-- The gold step builds int_horas_estimadas one window at a time. Every row of the estimate lies
-- in one local hour, so any windows give the same rows as one statement over the whole date;
-- but the hash tables of a full-platform day's samples and pieces are large (they spill at a
-- 2 GB engine), and four windows of a quarter of them took about two thirds of the time of one
-- (see docs/benchmarks.md). A small date keeps one window, since each costs a fixed setup. A
-- window reads only the snapshots whose samples can give one of its pieces.
WITH samples AS (
  SELECT
    sum(amostras) AS amostras,
    max(intervalo_s) AS intervalo_s
  FROM int_coletas
),

sizes AS (
  SELECT
    greatest(1, 24 // CAST(ceil(amostras / $amostras_por_janela) AS BIGINT)) AS horas,
    intervalo_s
  FROM samples
  WHERE amostras > 0
),

hours AS (
  SELECT
    sizes.horas * (int_cortes_locais.hora_dia // sizes.horas) AS hora_de,
    sizes.horas,
    int_cortes_locais.corte_s * int_cortes_locais.corte AS de_s,
    int_cortes_locais.corte_s * int_cortes_locais.corte + int_cortes_locais.corte_s AS ate_s
  FROM int_cortes_locais
  CROSS JOIN sizes
  WHERE int_cortes_locais.data = CAST($data AS DATE)
),

windows AS (
  SELECT
    hora_de,
    hora_de + horas AS hora_ate,
    min(de_s) AS de_s,
    max(ate_s) AS ate_s
  FROM hours
  GROUP BY hora_de, horas
),

-- A window's pieces come from the segments of the snapshots up to its end, from the one whose
-- segment crosses its start on (a segment runs from a sample to the next snapshot at most), and
-- from the lead-ins of the snapshots after its start and up to one interval after its end; a
-- segment also needs its stream's sample in the next snapshot.
ranges AS (
  SELECT
    windows.hora_de,
    windows.hora_ate,
    min(int_coletas.coletado_s) AS primeira_coleta_s,
    max(CASE
      WHEN int_coletas.coletado_s < windows.ate_s THEN coalesce(int_coletas.proxima_coleta_s, int_coletas.coletado_s)
      ELSE int_coletas.coletado_s
    END) AS ultima_coleta_s
  FROM windows
  CROSS JOIN sizes
  JOIN int_coletas
    ON (int_coletas.coletado_s >= windows.de_s OR int_coletas.proxima_coleta_s > windows.de_s)
    AND int_coletas.coletado_s < windows.ate_s + sizes.intervalo_s
  GROUP BY windows.hora_de, windows.hora_ate
),

-- As text, which a bound parameter carries to the estimate without a loss.
final AS (
  SELECT
    hora_de,
    hora_ate,
    CAST(make_timestamp(CAST(round(primeira_coleta_s * 1000000) AS BIGINT)) AS VARCHAR) AS coleta_de,
    CAST(make_timestamp(CAST(round(ultima_coleta_s * 1000000) AS BIGINT)) AS VARCHAR) AS coleta_ate
  FROM ranges
)

SELECT * FROM final ORDER BY hora_de
