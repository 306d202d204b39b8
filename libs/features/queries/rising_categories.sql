-- name: rising_categories
-- description: The 20 categories that grew most on one day against their trailing 7 days, by hours watched (ratios under 1, falls, fill the list when fewer grew): hours watched and average viewers per live channel beside the 7-day baseline, growth ratios (1 = flat, 2 = doubled); only categories with at least 50 hours watched that day and a baseline of at least 5.
-- param: day: date_or_latest | Day (YYYY-MM-DD), or "latest" for the newest day with eligible rows (a day that has just begun has none until it reaches the minimum volume) | latest
SELECT
  data,
  nome AS nome_categoria,
  ROUND(horas_assistidas, 1) AS horas_assistidas,
  ROUND(media_7d_horas_assistidas, 1) AS media_7d_horas_assistidas,
  ROUND(crescimento_horas, 2) AS crescimento_horas,
  ROUND(media_espectadores, 1) AS media_espectadores,
  ROUND(media_7d_espectadores, 1) AS media_7d_espectadores,
  ROUND(crescimento_espectadores, 2) AS crescimento_espectadores,
  dias_historico
FROM gold_tendencias_diario
WHERE dimensao = 'categoria'
  AND elegivel
  AND data = COALESCE(
    TRY_CAST(? AS DATE),
    (SELECT MAX(data) FROM gold_tendencias_diario WHERE dimensao = 'categoria' AND elegivel)
  )
ORDER BY crescimento_horas DESC, horas_assistidas DESC, nome
LIMIT 20
